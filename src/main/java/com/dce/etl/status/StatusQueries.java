package com.dce.etl.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

/**
 * The status page's own reads, each bounded by an index whatever the size of {@code dce_calls}: hourly activity from
 * {@code dce_activity}, the newest call of a provider ({@code (provider, call_start_time)} index), and the dead
 * letters waiting by reason ({@code (status, provider)} index).
 */
public final class StatusQueries {
    private final DataSource dataSource;

    public StatusQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Per provider, webhooks and rows for each of the {@code hours} hours up to now (oldest first). */
    public Map<String, long[][]> activity(OffsetDateTime currentHour, int hours) throws SQLException {
        Map<String, long[][]> byProvider = new TreeMap<>();
        OffsetDateTime first = currentHour.minusHours(hours - 1L);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT provider, bucket_start, webhooks,"
                        + " rows_written FROM dce_activity WHERE bucket_start >= ?")) {
            query.setObject(1, first);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int index = (int) Duration.between(first, rows.getObject(2, OffsetDateTime.class)).toHours();
                    if (index >= 0 && index < hours) {
                        long[][] series = byProvider.computeIfAbsent(rows.getString(1), p -> new long[2][hours]);
                        series[0][index] += rows.getLong(3);
                        series[1][index] += rows.getLong(4);
                    }
                }
            }
        }
        return byProvider;
    }

    /** When the provider's newest stored call started. */
    public Optional<OffsetDateTime> newestCall(String provider) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT MAX(call_start_time) FROM dce_calls WHERE provider = ?")) {
            query.setString(1, provider);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.ofNullable(rows.getObject(1, OffsetDateTime.class)) : Optional.empty();
            }
        }
    }

    /** Per provider, the dead letters waiting for a fix, by reason. */
    public Map<String, Map<String, Long>> deadLettersByReason() throws SQLException {
        Map<String, Map<String, Long>> byProvider = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT provider, reason_code, COUNT(*) FROM"
                        + " dce_dead_letters WHERE status = 'new' GROUP BY provider, reason_code");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                byProvider.computeIfAbsent(rows.getString(1), p -> new TreeMap<>()).put(rows.getString(2),
                        rows.getLong(3));
            }
        }
        return byProvider;
    }
}
