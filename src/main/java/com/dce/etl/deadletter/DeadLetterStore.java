package com.dce.etl.deadletter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

import javax.sql.DataSource;

import com.dce.etl.db.Transactions;

/**
 * Writes {@code dce_dead_letters}. A payload that is already waiting as a new dead letter of the same provider is
 * counted again ({@code attempts + 1}) instead of stored twice: each poll re-reads its lookback window, and would
 * otherwise add the same bad record every few minutes.
 */
public final class DeadLetterStore {
    public static final String NEW = "new";

    private static final int MAX_MESSAGE = 4000;

    private final DataSource dataSource;

    public DeadLetterStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void addAll(List<DeadLetter> letters) throws SQLException {
        if (letters.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (DeadLetter letter : letters) {
                    add(connection, letter);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private static void add(Connection connection, DeadLetter letter) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String hash = sha256(letter.payload());
        String message = truncate(letter.message());
        try (PreparedStatement again = connection.prepareStatement(
                "UPDATE dce_dead_letters SET attempts = attempts + 1, updated_at = ?, reason_code = ?, error_message = ?"
                        + " WHERE provider = ? AND payload_sha256 = ? AND status = ?")) {
            again.setObject(1, now);
            again.setString(2, letter.reason().name());
            again.setString(3, message);
            again.setString(4, letter.provider());
            again.setString(5, hash);
            again.setString(6, NEW);
            if (again.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO dce_dead_letters (provider, channel, route_id, reason_code, error_message, payload,"
                        + " payload_sha256, attempts, status, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)")) {
            insert.setString(1, letter.provider());
            insert.setString(2, letter.channel());
            insert.setString(3, letter.routeId());
            insert.setString(4, letter.reason().name());
            insert.setString(5, message);
            insert.setString(6, letter.payload());
            insert.setString(7, hash);
            insert.setString(8, NEW);
            insert.setObject(9, now);
            insert.setObject(10, now);
            insert.executeUpdate();
        }
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
