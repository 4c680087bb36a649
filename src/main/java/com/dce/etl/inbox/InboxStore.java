package com.dce.etl.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

import com.dce.etl.retry.Backoff;

/**
 * {@code dce_inbox}: webhook requests stored before they are acknowledged. A worker claims an entry by taking a lease
 * on it with a conditional update, which only one worker of one instance can win; a worker that dies leaves a lease
 * that runs out, and the entry is taken again. Loaded entries are deleted.
 */
public final class InboxStore {
    private static final int MAX_ERROR = 4000;

    private final DataSource dataSource;
    private final Duration lease;
    private final Backoff backoff;

    public InboxStore(DataSource dataSource, Duration lease, Backoff backoff) {
        this.dataSource = dataSource;
        this.lease = lease;
        this.backoff = backoff;
    }

    /** Stores a request durably (committed when this returns) and gives its id. */
    public long add(String provider, String channel, String routeId, String payload) throws SQLException {
        OffsetDateTime now = now();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO dce_inbox (provider, channel, route_id, payload, received_at, attempts,"
                                + " next_attempt_at) VALUES (?, ?, ?, ?, ?, 0, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, provider);
            insert.setString(2, channel);
            insert.setString(3, routeId);
            insert.setString(4, payload);
            insert.setObject(5, now);
            insert.setObject(6, now);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Takes the lease on a due entry; empty when another worker holds it, it is not due, or it is gone. */
    public Optional<InboxEntry> claim(long id) throws SQLException {
        OffsetDateTime now = now();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE dce_inbox SET claimed_until = ?, attempts = attempts + 1 WHERE id = ?"
                            + " AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)")) {
                update.setObject(1, now.plus(lease));
                update.setLong(2, id);
                update.setObject(3, now);
                update.setObject(4, now);
                if (update.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT provider, channel, route_id, payload, attempts FROM dce_inbox WHERE id = ?")) {
                query.setLong(1, id);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new InboxEntry(id, row.getString(1), row.getString(2), row.getString(3),
                            row.getString(4), row.getInt(5)));
                }
            }
        }
    }

    /**
     * Entries that are due and not leased, oldest first, leaving out those that became due within {@code grace}: the
     * webhook route hands those over itself.
     */
    public List<Long> due(int limit, Duration grace) throws SQLException {
        OffsetDateTime now = now();
        List<Long> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT id FROM dce_inbox WHERE next_attempt_at <= ?"
                                + " AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id")) {
            query.setObject(1, now.minus(grace));
            query.setObject(2, now);
            query.setMaxRows(limit);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }

    public void complete(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM dce_inbox WHERE id = ?")) {
            delete.setLong(1, id);
            delete.executeUpdate();
        }
    }

    /** Releases the lease and schedules the next attempt with backoff. */
    public void retryLater(InboxEntry entry, String error) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE dce_inbox SET claimed_until = NULL, next_attempt_at = ?, last_error = ? WHERE id = ?")) {
            update.setObject(1, now().plus(backoff.delay(entry.attempts())));
            update.setString(2, error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR));
            update.setLong(3, entry.id());
            update.executeUpdate();
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

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
