package com.dce.etl.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;

import com.dce.etl.mapping.MappedCall;

/**
 * The call writes of one transaction: inserts of new calls and merges of known ones, as JDBC batches (a page) or one
 * statement each (a webhook). A multi-row upsert may not touch one key twice, so a repeated key sends what is pending
 * first.
 */
final class PendingCallWrites implements AutoCloseable {
    private final CallUpsertStatement upsert;
    private final PreparedStatement insert;
    private final PreparedStatement merge;
    private final boolean batched;
    private final Set<String> pendingKeys = new HashSet<>();
    private boolean insertsPending;
    private boolean mergesPending;

    PendingCallWrites(Connection connection, CallUpsertStatement upsert, boolean batched) throws SQLException {
        this.upsert = upsert;
        this.insert = connection.prepareStatement(upsert.insertSql());
        this.merge = connection.prepareStatement(upsert.sql());
        this.batched = batched;
    }

    void write(MappedCall call, boolean isNew, String channel, OffsetDateTime now) throws SQLException {
        PreparedStatement statement = isNew ? insert : merge;
        if (!batched) {
            upsert.bind(statement, call, channel, now);
            statement.executeUpdate();
            return;
        }
        if (!pendingKeys.add(call.externalCallId())) {
            flush();
            pendingKeys.add(call.externalCallId());
        }
        upsert.bind(statement, call, channel, now);
        statement.addBatch();
        insertsPending |= isNew;
        mergesPending |= !isNew;
    }

    void flush() throws SQLException {
        if (insertsPending) {
            insert.executeBatch();
        }
        if (mergesPending) {
            merge.executeBatch();
        }
        insertsPending = false;
        mergesPending = false;
        pendingKeys.clear();
    }

    @Override
    public void close() throws SQLException {
        try {
            flush();
        } finally {
            insert.close();
            merge.close();
        }
    }
}
