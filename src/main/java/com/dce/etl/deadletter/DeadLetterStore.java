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

import com.dce.etl.db.ErrorText;
import com.dce.etl.db.SqlDialect;

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

    private static final List<String> INSERTED = List.of("provider", "channel", "route_id", "reason_code",
            "error_message", "payload", "payload_sha256", "open_sha256", "attempts", "status", "created_at",
            "updated_at");
    private static final List<String> TYPES = List.of("VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "CLOB",
            "VARCHAR", "VARCHAR", "INTEGER", "VARCHAR", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE");

    private final DataSource dataSource;
    /** Adds a letter, or counts it again when the same payload of the provider waits as a new letter already. */
    private final String upsert;

    public DeadLetterStore(DataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        String s = dialect.incoming();
        this.upsert = dialect.upsert("dce_dead_letters", List.of("provider", "open_sha256"), INSERTED, TYPES,
                List.of(new SqlDialect.Assignment("attempts", "t.attempts + 1"),
                        new SqlDialect.Assignment("updated_at", s + ".updated_at"),
                        new SqlDialect.Assignment("reason_code", s + ".reason_code"),
                        new SqlDialect.Assignment("error_message", s + ".error_message")), null);
    }

    /**
     * Writes the letters within the caller's transaction, so they commit with whatever else it writes; in the order
     * of their hashes, so two transactions lock them in the same order.
     */
    public void addAll(Connection connection, List<DeadLetter> letters) throws SQLException {
        if (letters.isEmpty()) {
            return;
        }
        TreeMap<String, List<DeadLetter>> byHash = new TreeMap<>();
        for (DeadLetter letter : letters) {
            byHash.computeIfAbsent(sha256(letter.payload()), hash -> new ArrayList<>()).add(letter);
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (PreparedStatement add = connection.prepareStatement(upsert)) {
            for (Map.Entry<String, List<DeadLetter>> same : byHash.entrySet()) {
                for (DeadLetter letter : same.getValue()) {
                    // one statement each: a payload repeated in the batch counts up the letter the first one made
                    int i = 1;
                    add.setString(i++, letter.provider());
                    add.setString(i++, letter.channel());
                    add.setString(i++, letter.routeId());
                    add.setString(i++, letter.reason().name());
                    add.setString(i++, ErrorText.fit(letter.message()));
                    add.setString(i++, letter.payload());
                    add.setString(i++, same.getKey());
                    add.setString(i++, same.getKey());
                    add.setInt(i++, 1);
                    add.setString(i++, NEW);
                    add.setObject(i++, now);
                    add.setObject(i, now);
                    add.executeUpdate();
                }
            }
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

    static String sha256(String payload) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
