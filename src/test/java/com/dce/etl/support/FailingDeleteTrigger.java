package com.dce.etl.support;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.Trigger;

/** An H2 trigger that makes every delete from its table fail, as a crash in the middle of a transaction would. */
public class FailingDeleteTrigger implements Trigger {

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("simulated failure while deleting", "XX000");
    }
}
