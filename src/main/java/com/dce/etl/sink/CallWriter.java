package com.dce.etl.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.db.SqlFailures;
import com.dce.etl.db.TableGrowth;
import com.dce.etl.db.Transactions;
import com.dce.etl.deadletter.DeadLetter;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.inbox.InboxStore;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.mapping.ReasonCode;
import com.dce.etl.retry.Backoff;
import com.dce.etl.retry.RetryPolicy;

/**
 * Writes mapped calls into {@code dce_calls} in one transaction, with the batch's dead letters and watermark: a JDBC
 * batch for a poll page, a single statement for a webhook.
 * <ul>
 * <li>Two writers touching the same call at once (events of one call on two workers or instances) make one of them
 * fail on a key, a lock or a deadlock; that transaction is rolled back and run again from the records as received
 * (see {@link CallKeyResolver}), so the row ends as if the events had come one after the other. Calls are written in
 * a stable order (by uuid, else id), so two batches take their locks in the same order and rarely deadlock.</li>
 * <li>A fault that passes (database down) is thrown for the caller to retry.</li>
 * <li>A fault in the data is narrowed down by writing the calls one by one, so only the offending call is
 * dead-lettered.</li>
 * </ul>
 */
public final class CallWriter {
    private static final Logger LOG = LoggerFactory.getLogger(CallWriter.class);
    private static final Comparator<MappedCall> WRITE_ORDER = Comparator.comparing(
            call -> call.callUuid() != null ? call.callUuid() : call.externalCallId(),
            Comparator.nullsFirst(Comparator.naturalOrder()));

    /**
     * The service's: a transaction that met another writer is run again up to 10 times, 5 to 200 ms apart. Two writers
     * of one call at once: the loser is redone from its records within milliseconds, not backed off like an outage (a
     * burst of 12,880 webhooks on 2 instances met a few dozen such conflicts).
     */
    public static final RetryPolicy CONFLICT_RETRY = new RetryPolicy(
            new Backoff(Duration.ofMillis(5), Duration.ofMillis(200)), 10);

    public record FailedCall(MappedCall call, ReasonCode reason, String message) {
    }

    public record Outcome(int written, List<FailedCall> failed) {
    }

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final CallUpsertStatement upsert;
    private final CallKeyResolver keys;
    private final RetryPolicy conflictRetry;
    private final DeadLetterStore deadLetters;
    private final TableGrowth growth;

    /** {@code conflictRetry}: how often and how soon a transaction that met another writer is run again. */
    public CallWriter(DataSource dataSource, SqlDialect dialect, RetryPolicy conflictRetry,
            DeadLetterStore deadLetters) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.upsert = new CallUpsertStatement(dialect);
        this.keys = new CallKeyResolver(dialect);
        this.growth = dialect.growthOf(dataSource, "dce_calls", List.of("provider", "external_call_id", "call_uuid"));
        this.conflictRetry = conflictRetry;
        this.deadLetters = deadLetters;
    }

    /**
     * Writes a batch: its calls and its {@link BatchCompletion} (dead letters, a page's checkpoint, the inbox
     * entries it came from), all in one transaction, so a crash leaves either all of it or none. When the data makes
     * the batch fail, the calls are written one by one and the completion (now with the failed calls as dead
     * letters) follows in a last transaction.
     */
    public Outcome write(String provider, String channel, String routeId, List<MappedCall> received,
            BatchCompletion completion) throws SQLException {
        List<MappedCall> calls = new ArrayList<>(received);
        calls.sort(WRITE_ORDER);
        try {
            List<FailedCall> conflicts = inTransaction(provider, calls, channel, calls.size() > 1,
                    (connection, upserted) -> finish(connection, provider, channel, routeId, completion,
                            upserted.refused(), calls.size() - upserted.refused().size(), upserted.changed()))
                    .refused();
            return new Outcome(calls.size() - conflicts.size(), conflicts);
        } catch (SQLException e) {
            if (SqlFailures.isTransient(e)) {
                throw e;
            }
            List<FailedCall> failed = new ArrayList<>();
            int changed = 0;
            for (MappedCall call : calls) {
                try {
                    // counted inside the call's transaction, where a count may still need its connection
                    int[] changedByCall = new int[1];
                    Upserted one = inTransaction(provider, List.of(call), channel, false,
                            (connection, done) -> changedByCall[0] = done.changed().count());
                    failed.addAll(one.refused());
                    changed += changedByCall[0];
                } catch (SQLException single) {
                    if (SqlFailures.isTransient(single)) {
                        throw single;
                    }
                    failed.add(dbError(call, single));
                }
            }
            int stored = calls.size() - failed.size();
            int rowsChanged = changed;
            inTransaction(provider, List.of(), channel, false,
                    (connection, none) -> finish(connection, provider, channel, routeId, completion, failed,
                            stored, () -> rowsChanged));
            return new Outcome(stored, failed);
        }
    }

    /**
     * The rest of a batch's transaction after its calls: dead letters, the page's checkpoint (told how many calls
     * were stored and how many rows they changed), the inbox entries.
     */
    private void finish(Connection connection, String provider, String channel, String routeId,
            BatchCompletion completion, List<FailedCall> failed, int stored, PageCheckpoint.RowsChanged changed)
            throws SQLException {
        List<DeadLetter> letters = new ArrayList<>(completion.deadLetters());
        failed.forEach(call -> letters.add(new DeadLetter(provider, channel, routeId, call.reason(), call.message(),
                call.call().sourcePayload())));
        deadLetters.addAll(connection, letters);
        if (completion.checkpoint() != null) {
            completion.checkpoint().commit(connection, stored, changed);
        }
        InboxStore.delete(connection, completion.inboxEntries());
    }

    /** More work for the same transaction, once the calls are written. */
    private interface InTransaction {
        void run(Connection connection, Upserted upserted) throws SQLException;
    }

    /** What a transaction's upserts did: the calls refused, and how many rows were inserted or changed. */
    private record Upserted(List<FailedCall> refused, PageCheckpoint.RowsChanged changed) {
        static final Upserted NOTHING = new Upserted(List.of(), () -> 0);
    }

    /**
     * One transaction, run again from {@code calls} as received when it met another writer. The first try inserts
     * calls that had no row when it looked; a later try merges every call, since a conflict says someone else
     * inserted one of them meanwhile.
     */
    private Upserted inTransaction(String provider, List<MappedCall> calls, String channel, boolean batched,
            InTransaction then) throws SQLException {
        return conflictRetry.run(attempt -> once(provider, calls, channel, batched, attempt > 1, then),
                SqlFailures::isConflict, (attempt, failure, wait) -> LOG.debug(
                        "Writing {} {} calls met another writer (attempt {}), again in {} ms: {}", calls.size(),
                        provider, attempt, wait.toMillis(), SqlFailures.describe(failure)));
    }

    private Upserted once(String provider, List<MappedCall> calls, String channel, boolean batched,
            boolean mergeOnly, InTransaction then) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Upserted upserted = calls.isEmpty() ? Upserted.NOTHING
                        : upsertAll(connection, provider, calls, channel, batched, mergeOnly);
                then.run(connection, upserted);
                connection.commit();
                growth.written(calls.size());
                return upserted;
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private Upserted upsertAll(Connection connection, String provider, List<MappedCall> calls, String channel,
            boolean batched, boolean mergeOnly) throws SQLException {
        CallKeyResolver.KnownRows knownRows = keys.knownIds(connection, provider, calls);
        Map<String, String> known = knownRows.ids();
        Set<String> existing = null;
        if (!mergeOnly) {
            // a call with a uuid that no row has is taken as new; if its id has a row after all (an id-only event came
            // first), the insert fails on the key and the transaction is redone through the merge
            boolean allHaveUuids = calls.stream().allMatch(call -> call.callUuid() != null);
            existing = allHaveUuids ? new HashSet<>() : keys.existingIds(connection, provider, calls);
            existing.addAll(known.values());
        }
        // to the microsecond the columns keep, so the rows of a batch can be found by their write time
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        // rows whose record arrives again unchanged are left alone; only rows known to exist are looked up, so a first
        // load pays nothing for it (looking up every new id cost PostgreSQL a third of its bulk rate)
        Set<String> stored = existing != null ? existing : calls.stream()
                .map(call -> call.callUuid() != null && known.containsKey(call.callUuid()) ? known.get(call.callUuid())
                        : call.externalCallId())
                .filter(id -> id != null).collect(Collectors.toSet());
        // the rows found by uuid came with their digests; only rows known by id alone are looked up again
        Map<String, String> digests = knownRows.digests();
        Set<String> byIdOnly = new HashSet<>(stored);
        // a set, not known.values(): removeAll would call values().contains, a scan of the map, for every id
        byIdOnly.removeAll(new HashSet<>(known.values()));
        if (!byIdOnly.isEmpty()) {
            digests.putAll(keys.storedDigests(connection, provider, byIdOnly));
        }
        List<FailedCall> conflicts = new ArrayList<>();
        PendingCallWrites writes = new PendingCallWrites(connection, dialect, upsert, batched);
        try (writes) {
            for (MappedCall received : calls) {
                CallKeyResolver.Resolution resolution = keys.resolve(received, known);
                MappedCall call;
                if (resolution instanceof CallKeyResolver.Conflict conflict) {
                    conflicts.add(new FailedCall(received, ReasonCode.MAPPING_ERROR, conflict.message()));
                    continue;
                } else if (resolution instanceof CallKeyResolver.Rekey rekey) {
                    writes.flush();
                    MappedCall displaced = keys.rekey(connection, provider, rekey);
                    if (displaced != null) {
                        writes.write(displaced, displaced.digest(), false, channel, now);
                    }
                    if (existing != null) {
                        existing.add(rekey.toId());
                    }
                    // both rows just changed: the record is merged, never skipped
                    digests.remove(rekey.fromId());
                    digests.remove(rekey.toId());
                    call = rekey.call();
                } else {
                    call = ((CallKeyResolver.Ready) resolution).call();
                }
                String digest = call.digest();
                if (digest.equals(digests.get(call.externalCallId()))) {
                    continue;
                }
                // written now: a later record of the same call in this batch merges into what this one left
                digests.remove(call.externalCallId());
                boolean isNew = existing != null && existing.add(call.externalCallId());
                writes.write(call, digest, isNew, channel, now);
            }
        }
        return new Upserted(conflicts, () -> writes.changed(connection, provider));
    }

    private static FailedCall dbError(MappedCall call, SQLException e) {
        return new FailedCall(call, ReasonCode.DB_ERROR, SqlFailures.describe(e));
    }
}
