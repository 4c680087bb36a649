package com.dce.etl.tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;

import javax.sql.DataSource;

import com.dce.etl.db.Transactions;

/**
 * Enrichment for calls already stored: when a tracker sync adds or changes trackers, the calls on their numbers get
 * the tracker as campaign and its source as publisher where they lack them, by the same rule as at load time
 * ({@code EnrichCallsStep}: only calls lacking a campaign name or a publisher, never replacing a value, the best
 * tracker of a number as {@link TrackingNumberStore#trackersOf} picks it). One set-based UPDATE per number, so the
 * order in which calls and trackers arrive does not matter.
 */
public final class StoredCallEnricher {
    private static final String FILL = "UPDATE dce_calls SET campaign_id = COALESCE(campaign_id, ?),"
            + " campaign_name = COALESCE(campaign_name, ?), publisher_name = COALESCE(publisher_name, ?),"
            + " last_updated_at = ? WHERE provider = ? AND tracking_number = ?"
            + " AND (campaign_name IS NULL OR publisher_name IS NULL)"
            // only rows the fill changes: a call already holding what the tracker could give is not touched
            + " AND ((campaign_id IS NULL AND CAST(? AS VARCHAR(1000)) IS NOT NULL)"
            + " OR (campaign_name IS NULL AND CAST(? AS VARCHAR(1000)) IS NOT NULL)"
            + " OR (publisher_name IS NULL AND CAST(? AS VARCHAR(1000)) IS NOT NULL))";

    private final DataSource dataSource;
    private final TrackingNumberStore trackingNumbers;

    public StoredCallEnricher(DataSource dataSource, TrackingNumberStore trackingNumbers) {
        this.dataSource = dataSource;
        this.trackingNumbers = trackingNumbers;
    }

    /** Fills the gaps of the provider's stored calls on these numbers; returns how many calls changed. */
    public int enrich(String provider, Collection<String> numbers) throws SQLException {
        Map<String, TrackingNumber> trackers = trackingNumbers.trackersOf(provider, numbers);
        if (trackers.isEmpty()) {
            return 0;
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement fill = connection.prepareStatement(FILL)) {
                for (TrackingNumber tracker : trackers.values()) {
                    String[] gifts = {tracker.trackerId(), tracker.trackerName(), tracker.sourceName()};
                    int i = 1;
                    for (String gift : gifts) {
                        fill.setString(i++, gift);
                    }
                    fill.setObject(i++, now);
                    fill.setString(i++, provider);
                    fill.setString(i++, tracker.number());
                    for (String gift : gifts) {
                        fill.setString(i++, gift);
                    }
                    fill.addBatch();
                }
                int changed = 0;
                for (int count : fill.executeBatch()) {
                    changed += Math.max(count, 0);
                }
                connection.commit();
                return changed;
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(connection, e);
                throw e;
            }
        }
    }
}
