package com.dce.etl.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/** {@link NewRows} as one JDBC batch of a plain {@code INSERT}. */
final class BatchedInsertRows implements NewRows {
    private final PreparedStatement insert;
    private final int[] jdbcTypes;
    private int pending;

    BatchedInsertRows(Connection connection, String table, List<String> columns, int[] jdbcTypes)
            throws SQLException {
        this.insert = connection.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", columns)
                + ") VALUES (" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")");
        this.jdbcTypes = jdbcTypes;
    }

    @Override
    public void add(Object[] values) throws SQLException {
        RowBinding.bind(insert, values, jdbcTypes);
        insert.addBatch();
        pending++;
    }

    @Override
    public int send() throws SQLException {
        if (pending == 0) {
            return 0;
        }
        pending = 0;
        // every insert adds its row (a key conflict fails the whole transaction instead)
        return insert.executeBatch().length;
    }

    @Override
    public void close() throws SQLException {
        insert.close();
    }
}
