package com.dce.etl.deadletter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

import com.dce.etl.db.Transactions;

/**
 * Writes {@code dce_dead_letters}. A payload that is already waiting as a new dead letter of the same provider is
 * counted again ({@code attempts + 1}) instead of stored twice: each poll re-reads its lookback window, and would
 * otherwise add the same bad record every few minutes. A unique key on the open letter's hash makes this hold when
 * two writers dead-letter the same payload at once: the second fails on the key and its transaction is redone.
 */
public final class DeadLetterStore {
    public static final String NEW = "new";
    public static final String REPLAYED = "replayed";
    public static final String DISCARDED = "discarded";
    private static final String COLUMNS = "id, provider, channel, route_id, reason_code, error_message, payload,"
            + " attempts, status, created_at, updated_at";

    private static final int MAX_MESSAGE = 4000;

    private final DataSource dataSource;

    public DeadLetterStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Writes the letters within the caller's transaction, so they commit with whatever else it writes; in the order
     * of their hashes, so two transactions lock them in the same order.
     */
    public static void addAll(Connection connection, List<DeadLetter> letters) throws SQLException {
        TreeMap<String, List<DeadLetter>> byHash = new TreeMap<>();
        for (DeadLetter letter : letters) {
            byHash.computeIfAbsent(sha256(letter.payload()), hash -> new ArrayList<>()).add(letter);
        }
        for (Map.Entry<String, List<DeadLetter>> same : byHash.entrySet()) {
            for (DeadLetter letter : same.getValue()) {
                add(connection, letter, same.getKey());
            }
        }
    }

    private static void add(Connection connection, DeadLetter letter, String hash) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String message = truncate(letter.message());
        try (PreparedStatement again = connection.prepareStatement(
                "UPDATE dce_dead_letters SET attempts = attempts + 1, updated_at = ?, reason_code = ?, error_message = ?"
                        + " WHERE provider = ? AND open_sha256 = ?")) {
            again.setObject(1, now);
            again.setString(2, letter.reason().name());
            again.setString(3, message);
            again.setString(4, letter.provider());
            again.setString(5, hash);
            if (again.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO dce_dead_letters (provider, channel, route_id, reason_code, error_message, payload,"
                        + " payload_sha256, open_sha256, attempts, status, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)")) {
            insert.setString(1, letter.provider());
            insert.setString(2, letter.channel());
            insert.setString(3, letter.routeId());
            insert.setString(4, letter.reason().name());
            insert.setString(5, message);
            insert.setString(6, letter.payload());
            insert.setString(7, hash);
            insert.setString(8, hash);
            insert.setString(9, NEW);
            insert.setObject(10, now);
            insert.setObject(11, now);
            insert.executeUpdate();
        }
    }

    public Optional<StoredDeadLetter> find(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM dce_dead_letters WHERE id = ?")) {
            query.setLong(1, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    /** Newest first; provider and status may be null for all. */
    public List<StoredDeadLetter> list(String provider, String status, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM dce_dead_letters WHERE (? IS NULL OR provider = ?)"
                + " AND (? IS NULL OR status = ?) ORDER BY id DESC";
        List<StoredDeadLetter> letters = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, provider);
            query.setString(2, provider);
            query.setString(3, status);
            query.setString(4, status);
            query.setMaxRows(limit);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    letters.add(read(rows));
                }
            }
        }
        return letters;
    }

    /** Moves a new dead letter to {@code status}; false when it is not (or no longer) new. */
    public boolean close(long id, String status) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE dce_dead_letters SET status = ?, updated_at = ?, open_sha256 = NULL"
                                + " WHERE id = ? AND status = ?")) {
            update.setString(1, status);
            update.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
            update.setLong(3, id);
            update.setString(4, NEW);
            return update.executeUpdate() == 1;
        }
    }

    /** Dead letters waiting (status new), per provider. */
    public Map<String, Long> waitingByProvider() throws SQLException {
        Map<String, Long> waiting = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT provider, COUNT(*) FROM dce_dead_letters WHERE status = ? GROUP BY provider")) {
            query.setString(1, NEW);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    waiting.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return waiting;
    }

    private static StoredDeadLetter read(ResultSet row) throws SQLException {
        return new StoredDeadLetter(row.getLong("id"), row.getString("provider"), row.getString("channel"),
                row.getString("route_id"), row.getString("reason_code"), row.getString("error_message"),
                row.getString("payload"), row.getInt("attempts"), row.getString("status"),
                row.getObject("created_at", OffsetDateTime.class), row.getObject("updated_at", OffsetDateTime.class));
    }

    private static String truncate(String message) {
        if (message == null) {
            return null;
        }
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE);
    }

    static String sha256(String payload) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
