package com.dce.etl.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;

import javax.sql.DataSource;

/**
 * {@link IdentityRows} as one JDBC batch whose generated keys are read back, in a transaction of its own (H2, which runs
 * the batch and its commit in process).
 */
final class GeneratedKeyRows implements IdentityRows {
    private final String sql;
    private final int[] jdbcTypes;

    GeneratedKeyRows(String table, List<String> columns, int[] jdbcTypes) {
        this.sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        this.jdbcTypes = jdbcTypes;
    }

    @Override
    public long[] insert(DataSource dataSource, List<Object[]> rows) throws SQLException {
        IdentityRows.checkSize(rows);
        return Transactions.run(dataSource, connection -> insert(connection, rows));
    }

    private long[] insert(Connection connection, List<Object[]> rows) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (Object[] row : rows) {
                RowBinding.bind(insert, row, jdbcTypes);
                insert.addBatch();
            }
            insert.executeBatch();
            long[] ids = new long[rows.size()];
            int read = 0;
            try (ResultSet keys = insert.getGeneratedKeys()) {
                while (keys.next()) {
                    if (read == ids.length) {
                        throw new SQLException("more generated ids than the " + rows.size() + " rows inserted");
                    }
                    ids[read++] = keys.getLong(1);
                }
            }
            if (read != ids.length) {
                throw new SQLException("expected " + rows.size() + " generated ids, got " + read);
            }
            return ids;
        }
    }
}
