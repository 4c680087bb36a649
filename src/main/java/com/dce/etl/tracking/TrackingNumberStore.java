package com.dce.etl.tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.db.Transactions;

/**
 * {@code dce_tracking_numbers}. A sync writes the numbers it saw with its start time; afterwards, numbers it did not
 * see are marked {@code deleted} (never removed), so calls made on them can still be enriched and traced.
 */
public final class TrackingNumberStore {
    public static final String DELETED = "deleted";
    private static final Duration PROVIDER_LIST_TTL = Duration.ofMinutes(1);

    private static final List<String> COLUMNS = List.of("tracker_name", "tracker_type", "status", "source_name",
            "destination_number", "company_id", "created_at", "last_synced_at", "provider", "external_tracker_id",
            "tracking_number");
    private static final List<String> TYPES = List.of("VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
            "VARCHAR", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE", "VARCHAR", "VARCHAR", "VARCHAR");

    private final DataSource dataSource;
    private final String upsert;
    private volatile Set<String> providersWithNumbers;
    private volatile Instant providersReadAt = Instant.EPOCH;

    public TrackingNumberStore(DataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.upsert = dialect.upsert("dce_tracking_numbers",
                List.of("provider", "external_tracker_id", "tracking_number"), COLUMNS, TYPES,
                COLUMNS.subList(0, 8).stream()
                        .map(column -> new SqlDialect.Assignment(column, dialect.incoming() + "." + column)).toList(),
                null);
    }

    /**
     * Writes the numbers seen by the sync started at {@code syncedAt}; returns those that are new or whose tracker
     * changed (name, type, status, source, destination, company), whose stored calls may now be enriched.
     */
    public List<String> upsert(List<TrackingNumber> numbers, OffsetDateTime syncedAt) throws SQLException {
        List<String> changed = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement seen = connection.prepareStatement(
                    "UPDATE dce_tracking_numbers SET last_synced_at = ? WHERE provider = ? AND external_tracker_id = ?"
                            + " AND tracking_number = ? AND tracker_name IS NOT DISTINCT FROM ?"
                            + " AND tracker_type IS NOT DISTINCT FROM ? AND status IS NOT DISTINCT FROM ?"
                            + " AND source_name IS NOT DISTINCT FROM ? AND destination_number IS NOT DISTINCT FROM ?"
                            + " AND company_id IS NOT DISTINCT FROM ?");
                    PreparedStatement write = connection.prepareStatement(upsert)) {
                for (TrackingNumber number : numbers) {
                    if (unchanged(seen, number, syncedAt)) {
                        continue;
                    }
                    changed.add(number.number());
                    bind(write, number, syncedAt);
                    write.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(connection, e);
                throw e;
            }
        }
        providersReadAt = Instant.EPOCH;
        return changed;
    }

    /** Marks an unchanged number as seen by this sync; false when it is new or changed. */
    private static boolean unchanged(PreparedStatement seen, TrackingNumber number, OffsetDateTime syncedAt)
            throws SQLException {
        seen.setObject(1, syncedAt);
        seen.setString(2, number.provider());
        seen.setString(3, number.trackerId());
        seen.setString(4, number.number());
        seen.setString(5, number.trackerName());
        seen.setString(6, number.trackerType());
        seen.setString(7, number.status());
        seen.setString(8, number.sourceName());
        seen.setString(9, number.destinationNumber());
        seen.setString(10, number.companyId());
        return seen.executeUpdate() > 0;
    }

    private static void bind(PreparedStatement statement, TrackingNumber number, OffsetDateTime syncedAt)
            throws SQLException {
        statement.setString(1, number.trackerName());
        statement.setString(2, number.trackerType());
        statement.setString(3, number.status());
        statement.setString(4, number.sourceName());
        statement.setString(5, number.destinationNumber());
        statement.setString(6, number.companyId());
        statement.setObject(7, number.createdAt());
        statement.setObject(8, syncedAt);
        statement.setString(9, number.provider());
        statement.setString(10, number.trackerId());
        statement.setString(11, number.number());
    }

    /** Marks the provider's numbers that the sync started at {@code syncedAt} did not see; returns how many. */
    public int markUnseenDeleted(String provider, OffsetDateTime syncedAt) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE dce_tracking_numbers SET status = ? WHERE provider = ? AND last_synced_at < ?"
                                + " AND (status IS NULL OR status <> ?)")) {
            update.setString(1, DELETED);
            update.setString(2, provider);
            update.setObject(3, syncedAt);
            update.setString(4, DELETED);
            return update.executeUpdate();
        }
    }

    /**
     * The tracker of each number, for one provider; a number that moved between trackers resolves to an active one,
     * then to the one synced last.
     */
    public Map<String, TrackingNumber> trackersOf(String provider, Collection<String> numbers) throws SQLException {
        Map<String, TrackingNumber> found = new HashMap<>();
        if (numbers.isEmpty() || !hasNumbers(provider)) {
            return found;
        }
        List<String> distinct = numbers.stream().distinct().toList();
        String sql = "SELECT external_tracker_id, tracking_number, tracker_name, tracker_type, status, source_name,"
                + " destination_number, company_id, created_at FROM dce_tracking_numbers WHERE provider = ?"
                + " AND tracking_number IN (" + String.join(", ", Collections.nCopies(distinct.size(), "?")) + ")"
                + " ORDER BY CASE WHEN status = 'active' THEN 0 ELSE 1 END DESC, last_synced_at";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, provider);
            for (int i = 0; i < distinct.size(); i++) {
                query.setString(i + 2, distinct.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    // rows come worst first, so the best match for a number is put last and wins
                    found.put(rows.getString(2), new TrackingNumber(provider, rows.getString(1), rows.getString(2),
                            rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6),
                            rows.getString(7), rows.getString(8), rows.getObject(9, OffsetDateTime.class)));
                }
            }
        }
        return found;
    }

    /** Whether the provider has any tracking numbers; cached a minute so providers without any pay no query. */
    private boolean hasNumbers(String provider) throws SQLException {
        if (Instant.now().isAfter(providersReadAt.plus(PROVIDER_LIST_TTL))) {
            Set<String> providers = new java.util.HashSet<>();
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement query = connection.prepareStatement(
                            "SELECT DISTINCT provider FROM dce_tracking_numbers");
                    ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    providers.add(rows.getString(1));
                }
            }
            providersWithNumbers = providers;
            providersReadAt = Instant.now();
        }
        return providersWithNumbers.contains(provider);
    }
}
