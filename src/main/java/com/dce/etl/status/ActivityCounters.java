package com.dce.etl.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.db.SqlFailures;

/**
 * Webhooks accepted and rows written per provider and hour, counted in memory on the hot path (two adders) and added
 * to {@code dce_activity} by the status-activity route every {@code dce.status.flush-ms}: one small statement per
 * provider and hour, so the status page never counts {@code dce_calls}. Counts not yet flushed are lost in a crash;
 * the page is a view, not the record.
 */
public final class ActivityCounters {
    private static final Logger LOG = LoggerFactory.getLogger(ActivityCounters.class);

    private record Bucket(String provider, OffsetDateTime start) {
    }

    private static final class Counts {
        final LongAdder webhooks = new LongAdder();
        final LongAdder rows = new LongAdder();
    }

    private final DataSource dataSource;
    private final Map<Bucket, Counts> pending = new ConcurrentHashMap<>();

    public ActivityCounters(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void webhookAccepted(String provider) {
        counts(provider).webhooks.increment();
    }

    public void rowsWritten(String provider, int rows) {
        if (rows > 0) {
            counts(provider).rows.add(rows);
        }
    }

    /** The status-activity route's step: adds what was counted since the last flush to {@code dce_activity}. */
    public void flush() {
        for (Map.Entry<Bucket, Counts> entry : pending.entrySet()) {
            long webhooks = entry.getValue().webhooks.sumThenReset();
            long rows = entry.getValue().rows.sumThenReset();
            if (webhooks == 0 && rows == 0) {
                if (entry.getKey().start().isBefore(hour().minusHours(1))) {
                    pending.remove(entry.getKey(), entry.getValue());
                }
                continue;
            }
            try {
                add(entry.getKey(), webhooks, rows);
            } catch (SQLException e) {
                // counted again next time
                entry.getValue().webhooks.add(webhooks);
                entry.getValue().rows.add(rows);
                LOG.debug("Activity not recorded now: {}", SqlFailures.describe(e));
            }
        }
    }

    private void add(Bucket bucket, long webhooks, long rows) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (update(connection, bucket, webhooks, rows) == 0) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO dce_activity (provider,"
                        + " bucket_start, webhooks, rows_written) VALUES (?, ?, ?, ?)")) {
                    insert.setString(1, bucket.provider());
                    insert.setObject(2, bucket.start());
                    insert.setLong(3, webhooks);
                    insert.setLong(4, rows);
                    insert.executeUpdate();
                } catch (SQLException inserted) {
                    // another instance made the row first
                    if (update(connection, bucket, webhooks, rows) == 0) {
                        throw inserted;
                    }
                }
            }
        }
    }

    private static int update(Connection connection, Bucket bucket, long webhooks, long rows) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE dce_activity SET webhooks = webhooks + ?,"
                + " rows_written = rows_written + ? WHERE provider = ? AND bucket_start = ?")) {
            update.setLong(1, webhooks);
            update.setLong(2, rows);
            update.setString(3, bucket.provider());
            update.setObject(4, bucket.start());
            return update.executeUpdate();
        }
    }

    private Counts counts(String provider) {
        return pending.computeIfAbsent(new Bucket(provider, hour()), bucket -> new Counts());
    }

    private static OffsetDateTime hour() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
    }
}
