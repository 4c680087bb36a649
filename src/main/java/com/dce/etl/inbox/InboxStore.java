package com.dce.etl.inbox;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import com.dce.etl.db.ErrorText;
import com.dce.etl.db.Transactions;
import com.dce.etl.deadletter.DeadLetter;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.retry.Backoff;

/**
 * {@code dce_inbox}: webhook requests stored (by {@link InboxWriter}) before they are acknowledged. Workers claim
 * entries in batches: a conditional update per entry gives it a lease and the worker's token, which only one worker of
 * one instance can win; a worker that dies leaves leases that run out, and the entries are claimed again. An entry is
 * deleted in the same transaction that stores its call. Entries handed over by the writer ({@link InboxHandoff}) are
 * stored with a lease already and are due when it ends.
 */
public final class InboxStore {
    /**
     * Ordered by the column of the range so that both databases walk the {@code next_attempt_at} index and stop after
     * {@code limit} rows; ordered by id, H2 sorted the whole backlog on every claim (6 s per claim at 565,000 entries).
     */
    private static final String CANDIDATES = "SELECT id, attempts FROM dce_inbox WHERE next_attempt_at <= ?"
            + " AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_attempt_at FETCH FIRST ? ROWS ONLY";
    /**
     * The leases are taken by primary key with the condition checked again on each row, so of two claimers only one
     * wins a row. One statement for the batch (both databases probe the primary key for {@code id = ANY(?)}): one
     * statement per row cost PostgreSQL a statement's overhead per webhook.
     */
    private static final String TAKE = "UPDATE dce_inbox SET claimed_until = ?, attempts = attempts + 1,"
            + " claim_token = ? WHERE id = ANY(?) AND (claimed_until IS NULL OR claimed_until < ?)";

    private final DataSource dataSource;
    private final Duration lease;
    private final Backoff backoff;
    private final DeadLetterStore deadLetters;

    public InboxStore(DataSource dataSource, Duration lease, Backoff backoff, DeadLetterStore deadLetters) {
        this.dataSource = dataSource;
        this.lease = lease;
        this.backoff = backoff;
        this.deadLetters = deadLetters;
    }

    /** What one claim took, and whether more entries were due than it took (the worker then looks again at once). */
    public record Claim(List<InboxEntry> entries, boolean moreDue) {
    }

    /**
     * Claims up to {@code limit} due entries never tried before, earliest due first, and at most one entry that was
     * tried before and is due again (it is loaded on its own: an entry that failed, or was being loaded when an
     * instance died, cannot take others down with it again). One transaction.
     */
    public Claim claim(int limit) throws SQLException {
        OffsetDateTime now = now();
        String token = newToken();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Candidates candidates = candidates(connection, now, limit);
                if (candidates.ids().isEmpty()) {
                    connection.commit();
                    return new Claim(List.of(), false);
                }
                Array wanted = ids(connection, candidates.ids());
                try (PreparedStatement take = connection.prepareStatement(TAKE)) {
                    take.setObject(1, now.plus(lease));
                    take.setString(2, token);
                    take.setArray(3, wanted);
                    take.setObject(4, now);
                    take.executeUpdate();
                }
                List<InboxEntry> entries = claimed(connection, wanted, token);
                connection.commit();
                return new Claim(entries, candidates.moreDue());
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private record Candidates(List<Long> ids, boolean moreDue) {
    }

    private static Candidates candidates(Connection connection, OffsetDateTime now, int limit) throws SQLException {
        List<Long> wanted = new ArrayList<>();
        boolean retriedTaken = false;
        boolean skipped = false;
        int seen = 0;
        try (PreparedStatement query = connection.prepareStatement(CANDIDATES)) {
            query.setObject(1, now);
            query.setObject(2, now);
            query.setInt(3, limit);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    seen++;
                    boolean retried = rows.getInt(2) > 0;
                    if (!retried || !retriedTaken) {
                        wanted.add(rows.getLong(1));
                        retriedTaken |= retried;
                    } else {
                        skipped = true;
                    }
                }
            }
        }
        return new Candidates(wanted, skipped || seen >= limit);
    }

    /** Of the candidates, those this claim took: by primary key, so the token needs no index of its own. */
    private static List<InboxEntry> claimed(Connection connection, Array candidates, String token)
            throws SQLException {
        List<InboxEntry> entries = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT id, provider, channel, route_id, payload, received_at, attempts FROM dce_inbox"
                        + " WHERE id = ANY(?) AND claim_token = ? ORDER BY id")) {
            query.setArray(1, candidates);
            query.setString(2, token);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    entries.add(new InboxEntry(row.getLong(1), row.getString(2), row.getString(3),
                            row.getString(4), row.getString(5), row.getObject(6, OffsetDateTime.class),
                            row.getInt(7)));
                }
            }
        }
        return entries;
    }

    /** Deletes loaded entries within the caller's transaction (the one that stored their calls), in one statement. */
    public static void delete(Connection connection, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM dce_inbox WHERE id = ANY(?)")) {
            delete.setArray(1, ids(connection, ids));
            delete.executeUpdate();
        }
    }

    private static Array ids(Connection connection, List<Long> ids) throws SQLException {
        return connection.createArrayOf("BIGINT", ids.toArray(Long[]::new));
    }

    /**
     * Gives up on an entry: {@code letter} is written and the entry deleted in one transaction, so a crash leaves
     * either both or neither (the entry is then claimed and given up again), never a lost or a doubled letter.
     */
    public void moveToDeadLetters(InboxEntry entry, DeadLetter letter) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                deadLetters.addAll(connection, List.of(letter));
                delete(connection, List.of(entry.id()));
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    /** Releases the leases and schedules the next attempt with backoff after {@code attempt} tries. */
    public void retryLater(List<Long> ids, int attempt, String error) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE dce_inbox SET claimed_until = NULL, claim_token = NULL, next_attempt_at = ?,"
                                + " last_error = ? WHERE id = ?")) {
            OffsetDateTime next = now().plus(backoff.delay(attempt));
            String text = ErrorText.fit(error);
            for (long id : ids) {
                update.setObject(1, next);
                update.setString(2, text);
                update.setLong(3, id);
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** Ends the leases of entries handed over but not taken (the service is stopping): due again at once. */
    public void release(List<InboxHandoff.Lease> leases) throws SQLException {
        if (leases.isEmpty()) {
            return;
        }
        // by token: an entry whose lease ran out may have been claimed by another instance since
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE dce_inbox SET claimed_until = NULL, claim_token = NULL, attempts = attempts - 1,"
                                + " next_attempt_at = ? WHERE id = ? AND claim_token = ?")) {
            OffsetDateTime now = now();
            for (InboxHandoff.Lease lease : leases) {
                update.setObject(1, now);
                update.setLong(2, lease.id());
                update.setString(3, lease.token());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** Stored webhooks not loaded yet, per provider. */
    public Map<String, Long> pendingByProvider() throws SQLException {
        Map<String, Long> pending = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT provider, COUNT(*) FROM dce_inbox GROUP BY provider");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                pending.put(rows.getString(1), rows.getLong(2));
            }
        }
        return pending;
    }

    /** A unique claim token (read back only together with the ids it was given to). */
    static String newToken() {
        return UUID.randomUUID().toString();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
