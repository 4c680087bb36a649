package com.dce.etl.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.dce.etl.db.NewRows;
import com.dce.etl.db.RowBinding;
import com.dce.etl.db.SqlDialect;
import com.dce.etl.mapping.MappedCall;

/**
 * The call writes of one transaction: inserts of new calls and merges of known ones, as JDBC batches (a page) or one
 * statement each (a webhook). A multi-row upsert may not touch one key twice, so a repeated key sends what is pending
 * first.
 */
final class PendingCallWrites implements AutoCloseable {
    private final CallUpsertStatement upsert;
    private final int[] jdbcTypes;
    private final NewRows inserts;
    private final PreparedStatement merge;
    private final boolean batched;
    private final Set<String> pendingKeys = new HashSet<>();
    private boolean insertsPending;
    private boolean mergesPending;
    private final List<String> pendingMerges = new ArrayList<>();
    private final List<String> uncounted = new ArrayList<>();
    private int changed;
    private OffsetDateTime writtenAt;

    PendingCallWrites(Connection connection, SqlDialect dialect, CallUpsertStatement upsert, boolean batched)
            throws SQLException {
        this.upsert = upsert;
        this.jdbcTypes = upsert.jdbcTypes();
        this.inserts = dialect.newRows(connection, "dce_calls", upsert.columns(), jdbcTypes);
        this.merge = connection.prepareStatement(upsert.sql());
        this.batched = batched;
    }

    void write(MappedCall call, String digest, boolean isNew, String channel, OffsetDateTime now) throws SQLException {
        Object[] values = upsert.values(call, digest, channel, now);
        writtenAt = now;
        if (batched && !pendingKeys.add(call.externalCallId())) {
            flush();
            pendingKeys.add(call.externalCallId());
        }
        if (isNew) {
            inserts.add(values);
            insertsPending = true;
        } else {
            RowBinding.bind(merge, values, jdbcTypes);
            if (!batched) {
                changed += merge.executeUpdate();
                return;
            }
            merge.addBatch();
            mergesPending = true;
            pendingMerges.add(call.externalCallId());
        }
        if (!batched) {
            flush();
        }
    }

    void flush() throws SQLException {
        if (insertsPending) {
            changed += inserts.send();
        }
        if (mergesPending && !count(merge.executeBatch())) {
            uncounted.addAll(pendingMerges);
        }
        pendingMerges.clear();
        insertsPending = false;
        mergesPending = false;
        pendingKeys.clear();
    }

    /**
     * Rows inserted or changed: a merge that changes nothing matches no row (its WHERE compares values). Where the
     * driver did not tell a batch's counts (pgjdbc's rewritten batches answer SUCCESS_NO_INFO), its rows are
     * counted by the write time they carry, in the same transaction.
     */
    int changed(Connection connection, String provider) throws SQLException {
        int counted = changed;
        for (int start = 0; start < uncounted.size(); start += 500) {
            List<String> ids = uncounted.subList(start, Math.min(uncounted.size(), start + 500));
            try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM dce_calls WHERE"
                    + " provider = ? AND last_updated_at = ? AND external_call_id IN ("
                    + String.join(",", Collections.nCopies(ids.size(), "?")) + ")")) {
                query.setString(1, provider);
                query.setObject(2, writtenAt);
                for (int i = 0; i < ids.size(); i++) {
                    query.setString(3 + i, ids.get(i));
                }
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    counted += rows.getInt(1);
                }
            }
        }
        return counted;
    }

    /** Adds a batch's counts; false when the driver did not tell them. */
    private boolean count(int[] updateCounts) {
        int rows = 0;
        for (int count : updateCounts) {
            if (count == Statement.SUCCESS_NO_INFO) {
                return false;
            }
            rows += Math.max(0, count);
        }
        changed += rows;
        return true;
    }

    @Override
    public void close() throws SQLException {
        try {
            flush();
        } finally {
            try {
                inserts.close();
            } finally {
                merge.close();
            }
        }
    }
}
