package com.dce.etl.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Helpers for hand-written JDBC transactions. */
public final class Transactions {
    private Transactions() {
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
