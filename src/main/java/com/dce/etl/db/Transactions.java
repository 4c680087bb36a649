package com.dce.etl.db;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/** Helpers for hand-written JDBC transactions. */
public final class Transactions {
    private Transactions() {
    }

    /** Work done in one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in a transaction of its own: committed when it returns, rolled back when it throws. */
    public static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    /**
     * Rolls back after {@code failure}. A rollback on a connection that broke ("Connection is closed") must not hide
     * the original fault, which decides whether the work is retried; it is attached as suppressed instead.
     */
    public static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }
}
