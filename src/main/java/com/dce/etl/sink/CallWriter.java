package com.dce.etl.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.db.SqlFailures;
import com.dce.etl.db.Transactions;
import com.dce.etl.deadletter.DeadLetter;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.inbox.InboxStore;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.mapping.ReasonCode;
import com.dce.etl.poll.WatermarkAdvance;
import com.dce.etl.poll.WatermarkStore;

/**
 * Writes mapped calls into {@code dce_calls} in one transaction, with the batch's dead letters and watermark: a JDBC
 * batch for a poll page, a single statement for a webhook. A fault that passes (database down, lock conflict) is
 * thrown for the caller to retry; a fault in the data is narrowed down by writing the calls one by one, so only the
 * offending call is dead-lettered.
 */
public final class CallWriter {

    public record FailedCall(MappedCall call, ReasonCode reason, String message) {
    }

    public record Outcome(int written, List<FailedCall> failed) {
    }

    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    private final CallUpsertStatement upsert;
    private final CallKeyResolver keys;

    public CallWriter(DataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.upsert = new CallUpsertStatement(dialect);
        this.keys = new CallKeyResolver(dialect);
    }

    /**
     * Writes a batch: its calls and its {@link BatchCompletion} (dead letters, a poll page's watermark, the inbox
     * entries it came from), all in one transaction, so a crash leaves either all of it or none. When the data makes
     * the batch fail, the calls are written one by one and the completion (now with the failed calls as dead
     * letters) follows in a last transaction.
     */
    public Outcome write(String provider, String channel, String routeId, List<MappedCall> calls,
            BatchCompletion completion) throws SQLException {
        try {
            List<FailedCall> conflicts = inTransaction(provider, calls, channel, calls.size() > 1,
                    (connection, refused) -> finish(connection, provider, channel, routeId, completion, refused,
                            calls.size() - refused.size()));
            return new Outcome(calls.size() - conflicts.size(), conflicts);
        } catch (SQLException e) {
            if (SqlFailures.isTransient(e)) {
                throw e;
            }
            List<FailedCall> failed = new ArrayList<>();
            for (MappedCall call : calls) {
                try {
                    failed.addAll(inTransaction(provider, List.of(call), channel, false, (connection, refused) -> { }));
                } catch (SQLException single) {
                    if (SqlFailures.isTransient(single)) {
                        throw single;
                    }
                    failed.add(dbError(call, single));
                }
            }
            int written = calls.size() - failed.size();
            inTransaction(provider, List.of(), channel, false,
                    (connection, none) -> finish(connection, provider, channel, routeId, completion, failed,
                            written));
            return new Outcome(written, failed);
        }
    }

    /** The rest of a batch's transaction after its calls: dead letters, the watermark, the inbox entries. */
    private static void finish(Connection connection, String provider, String channel, String routeId,
            BatchCompletion completion, List<FailedCall> failed, int written) throws SQLException {
        List<DeadLetter> letters = new ArrayList<>(completion.deadLetters());
        failed.forEach(call -> letters.add(new DeadLetter(provider, channel, routeId, call.reason(), call.message(),
                call.call().sourcePayload())));
        DeadLetterStore.addAll(connection, letters);
        WatermarkAdvance advance = completion.watermark();
        if (advance != null) {
            WatermarkStore.advance(connection, advance.provider(), advance.stream(), advance.watermark(), written);
        }
        InboxStore.delete(connection, completion.inboxEntries());
    }

    /** More work for the same transaction, once the calls are written ({@code refused}: those that were not). */
    private interface InTransaction {
        void run(Connection connection, List<FailedCall> refused) throws SQLException;
    }

    private List<FailedCall> inTransaction(String provider, List<MappedCall> calls, String channel, boolean batched,
            InTransaction then) throws SQLException {
        try {
            return inTransaction(provider, calls, channel, batched, false, then);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !UNIQUE_VIOLATION.equals(nextState(e))) {
                throw e;
            }
            // another writer inserted one of these calls since we looked: write them all through the merge
            return inTransaction(provider, calls, channel, batched, true, then);
        }
    }

    private List<FailedCall> inTransaction(String provider, List<MappedCall> calls, String channel, boolean batched,
            boolean mergeOnly, InTransaction then) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<FailedCall> conflicts = calls.isEmpty() ? List.of()
                        : upsertAll(connection, provider, calls, channel, batched, mergeOnly);
                then.run(connection, conflicts);
                connection.commit();
                return conflicts;
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private List<FailedCall> upsertAll(Connection connection, String provider, List<MappedCall> calls, String channel,
            boolean batched, boolean mergeOnly) throws SQLException {
        Map<String, String> known = keys.knownIds(connection, provider, calls);
        Set<String> existing = null;
        if (!mergeOnly) {
            // a call with a uuid that no row has is taken as new; if its id has a row after all (an id-only event came
            // first), the insert fails on the key and the transaction is redone through the merge
            boolean allHaveUuids = calls.stream().allMatch(call -> call.callUuid() != null);
            existing = allHaveUuids ? new HashSet<>() : keys.existingIds(connection, provider, calls);
            existing.addAll(known.values());
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<FailedCall> conflicts = new ArrayList<>();
        try (Batches batches = new Batches(connection, batched)) {
            for (MappedCall call : calls) {
                CallKeyResolver.Resolution resolution = keys.resolve(call, known);
                if (resolution instanceof CallKeyResolver.Conflict conflict) {
                    conflicts.add(new FailedCall(call, ReasonCode.MAPPING_ERROR, conflict.message()));
                    continue;
                }
                if (resolution instanceof CallKeyResolver.Rekey rekey) {
                    batches.flush();
                    MappedCall displaced = keys.rekey(connection, provider, rekey);
                    if (displaced != null) {
                        batches.write(displaced, false, channel, now);
                    }
                    if (existing != null) {
                        existing.add(rekey.toId());
                    }
                }
                boolean isNew = existing != null && existing.add(call.externalCallId());
                batches.write(call, isNew, channel, now);
            }
        }
        return conflicts;
    }

    /**
     * The pending writes of one transaction: inserts of new calls and merges of known ones, as JDBC batches (a
     * page) or one statement each (a webhook). A multi-row upsert may not touch one key twice, so a repeated key
     * sends what is pending first.
     */
    private final class Batches implements AutoCloseable {
        private final PreparedStatement insert;
        private final PreparedStatement merge;
        private final boolean batched;
        private final Set<String> pendingKeys = new HashSet<>();
        private boolean insertsPending;
        private boolean mergesPending;

        Batches(Connection connection, boolean batched) throws SQLException {
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

    private static String nextState(SQLException e) {
        return e.getNextException() == null ? null : e.getNextException().getSQLState();
    }

    private static FailedCall dbError(MappedCall call, SQLException e) {
        return new FailedCall(call, ReasonCode.DB_ERROR, SqlFailures.describe(e));
    }
}
