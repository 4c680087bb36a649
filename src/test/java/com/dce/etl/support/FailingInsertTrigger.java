package com.dce.etl.support;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.Trigger;

/**
 * An H2 trigger that makes the insert of one call id fail like a lost database connection (SQLState 08006): the
 * moment between fetching a page and committing it, made to fail on purpose.
 */
public class FailingInsertTrigger implements Trigger {
    public static volatile String failingId;

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow != null && newRow[1] != null && newRow[1].toString().equals(failingId)) {
            throw new SQLException("simulated connection loss while committing", "08006");
        }
    }
}
