package com.dce.etl.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Binds a row's values to a statement's parameters in order, typing each NULL by its column's JDBC type. */
public final class RowBinding {
    private RowBinding() {
    }

    public static void bind(PreparedStatement statement, Object[] values, int[] jdbcTypes) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                statement.setNull(i + 1, jdbcTypes[i]);
            } else {
                statement.setObject(i + 1, values[i]);
            }
        }
    }
}
