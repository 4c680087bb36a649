package com.dce.etl.observe;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** DOWN when the database does not answer: webhooks then get 503 and loads wait. Not a liveness check. */
public final class DatabaseHealthCheck extends AbstractHealthCheck {
    private final DataSource dataSource;

    public DatabaseHealthCheck(DataSource dataSource) {
        super("dce", "database");
        this.dataSource = dataSource;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(2)) {
                builder.up();
            } else {
                builder.message("database connection is not valid").down();
            }
        } catch (SQLException e) {
            builder.message("database unreachable: " + e.getMessage()).down();
        }
    }
}
