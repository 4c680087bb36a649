package com.dce.etl.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code dce.scheduler.clustered=true}, the Quartz triggers of the poll routes live in Quartz's clustered JDBC job
 * store on the service's PostgreSQL database, so that several instances sharing that database run each poll on one
 * instance at a time, and another instance takes over when one dies. Quartz reads the service's own connection pool.
 */
final class ClusteredScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ClusteredScheduler.class);

    private ClusteredScheduler() {
    }

    static void configure(CamelContext context, Settings settings, DataSource dataSource, String jdbcUrl) {
        if (!Boolean.parseBoolean(settings.get("dce.scheduler.clustered", "false"))) {
            return;
        }
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException("dce.scheduler.clustered=true needs a shared PostgreSQL database"
                    + " (dce.db.url=jdbc:postgresql://...)");
        }
        String provider = "dce-" + context.getName();
        DBConnectionManager.getInstance().addConnectionProvider(provider, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the service and is closed with it
            }

            @Override
            public void initialize() {
                // the pool is already open
            }
        });
        Properties quartz = new Properties();
        // every instance must use the same scheduler name to form one cluster; ids tell the instances apart
        quartz.setProperty("org.quartz.scheduler.instanceName", "dce-etl");
        quartz.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        quartz.setProperty("org.quartz.threadPool.threadCount", "5");
        quartz.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        quartz.setProperty("org.quartz.jobStore.driverDelegateClass",
                "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        quartz.setProperty("org.quartz.jobStore.dataSource", provider);
        quartz.setProperty("org.quartz.jobStore.isClustered", "true");
        quartz.setProperty("org.quartz.jobStore.clusterCheckinInterval",
                settings.get("dce.scheduler.checkin-interval-ms", "5000"));
        quartz.setProperty("org.quartz.jobStore.misfireThreshold", "30000");
        QuartzComponent component = context.getComponent("quartz", QuartzComponent.class);
        component.setProperties(quartz);
        // the job store keeps triggers across restarts; a route's cron edit is applied when it starts
        LOG.info("Quartz runs clustered on the service database: each poll runs on one instance at a time");
    }
}
