package com.dce.etl.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import com.dce.etl.config.Settings;
import com.dce.etl.support.LocalPostgres;
import com.dce.etl.support.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The service's PostgreSQL connections plan a statement for each execution. A plan that PostgreSQL kept from a moment
 * when the inbox was empty (vacuumed down to no pages) read the whole inbox once it had filled again: in the
 * benchmark, each delete of a loaded webhook took 100 ms instead of 0.1 ms. PostgreSQL only.
 */
class PostgresPlansTest {
    @Test
    void aDeletePreparedOnAnEmptyInboxFindsItsRowsByKeyOnceTheInboxHasFilled() throws Exception {
        assumeTrue(TestDatabase.postgres(), "PostgreSQL's plan cache");
        String url = LocalPostgres.shared().newDatabase();
        try (HikariDataSource dataSource = Database.open(settings(), url)) {
            Database.migrate(dataSource, url);
            try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
                sql.execute("VACUUM ANALYZE dce_inbox");
                sql.execute("PREPARE loaded(bigint[]) AS DELETE FROM dce_inbox WHERE id = ANY($1)");
                // PostgreSQL considers a generic plan after five executions planned for their parameters
                for (int id = 1; id <= 6; id++) {
                    sql.execute("EXECUTE loaded('{" + id + "}')");
                }
                sql.execute("INSERT INTO dce_inbox (provider, channel, payload, received_at, attempts,"
                        + " next_attempt_at) SELECT 'trackdrive', 'webhook', repeat('x', 600), now(), 1, now()"
                        + " FROM generate_series(1, 20000)");

                assertThat(plan(sql, "EXPLAIN EXECUTE loaded('{7}')")).contains("Index Scan")
                        .doesNotContain("Seq Scan");
            }
        }
    }

    private static Settings settings() {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("dce.db.user", TestDatabase.user());
        context.getPropertiesComponent().setInitialProperties(properties);
        return new Settings(context.getPropertiesComponent());
    }

    private static String plan(Statement sql, String explain) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet lines = sql.executeQuery(explain)) {
            while (lines.next()) {
                plan.append(lines.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
