package com.dce.etl.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import javax.sql.DataSource;

/**
 * {@link IdentityRows} for PostgreSQL: the ids are taken ahead from the sequence behind the identity column, a block at
 * a time, and the rows are inserted with them as a plain batch, which pgjdbc sends as multi-row INSERTs
 * ({@code reWriteBatchedInserts}). Asked back instead ({@code INSERT ... RETURNING}), they cost one statement per row,
 * which pgjdbc does not rewrite, and for a batch of them it splits the batch into several round trips: inboxing and
 * deleting batches of 32 webhooks took the server 35 us a webhook that way against 25 us (four alternated runs of
 * 96,000 webhooks each on an idle server).
 * <p>
 * The batch runs in auto-commit mode and is still one transaction: pgjdbc sends its statements and then one Sync, and
 * PostgreSQL runs the statements before a Sync as one implicit transaction, committed at the Sync or rolled back
 * whole (the protocol's "Pipelining"; {@link IdentityRows#MAX_ROWS} keeps pgjdbc from forcing a Sync in between). So
 * the commit takes no round trip of its own. Under webhook load the inbox writer, which every 202 waits for, is busy
 * about 90% of the time, and each of its round trips waits for a CPU twice (its server process's, then its own): in
 * the benchmark's reduced runs the webhooks' p99 went from 35.0 to 28.7 ms without it (means of five runs each).
 * <p>
 * Each id is used once: ids of a batch that fails, and those left in the block when the service stops, are gaps, as
 * a sequence leaves them anyway. Used by one thread at a time (the inbox writer).
 */
final class ReservedIdRows implements IdentityRows {
    /** Ids taken from the sequence in one query: at a few thousand webhooks a second, a few queries a second. */
    private static final int BLOCK = 1000;

    private final String reserve;
    private final String insert;
    private final int[] jdbcTypes;
    private long[] reserved = new long[0];
    private int next;

    ReservedIdRows(String table, String idColumn, List<String> columns, int[] jdbcTypes) {
        // the sequence is looked up once, not for each id: 1,000 ids took 3 ms with pg_get_serial_sequence in each
        // nextval, 0.6-0.8 ms this way (on an idle server; 5 ms a block under webhook load), in the batch they are for
        this.reserve = "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence('" + table + "', '" + idColumn
                + "')::regclass AS sequence) SELECT nextval(s.sequence) FROM s, generate_series(1, ?)";
        this.insert = "INSERT INTO " + table + " (" + idColumn + ", " + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size() + 1, "?")) + ")";
        this.jdbcTypes = new int[jdbcTypes.length + 1];
        this.jdbcTypes[0] = Types.BIGINT;
        System.arraycopy(jdbcTypes, 0, this.jdbcTypes, 1, jdbcTypes.length);
    }

    @Override
    public synchronized long[] insert(DataSource dataSource, List<Object[]> rows) throws SQLException {
        IdentityRows.checkSize(rows);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            long[] ids = take(connection, rows.size());
            insert(connection, ids, rows);
            return ids;
        }
    }

    private void insert(Connection connection, long[] ids, List<Object[]> rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            Object[] values = new Object[jdbcTypes.length];
            for (int i = 0; i < ids.length; i++) {
                values[0] = ids[i];
                System.arraycopy(rows.get(i), 0, values, 1, values.length - 1);
                RowBinding.bind(statement, values, jdbcTypes);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private long[] take(Connection connection, int count) throws SQLException {
        if (reserved.length - next < count) {
            reserved = reserveBlock(connection);
            next = 0;
        }
        long[] ids = Arrays.copyOfRange(reserved, next, next + count);
        next += count;
        return ids;
    }

    private long[] reserveBlock(Connection connection) throws SQLException {
        List<Long> ids = new ArrayList<>(BLOCK);
        try (PreparedStatement query = connection.prepareStatement(reserve)) {
            query.setInt(1, BLOCK);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        if (ids.size() != BLOCK) {
            throw new SQLException("asked the sequence for " + BLOCK + " ids, got " + ids.size());
        }
        // in order, so a batch's entries are numbered as they arrived
        return ids.stream().mapToLong(Long::longValue).sorted().toArray();
    }
}
