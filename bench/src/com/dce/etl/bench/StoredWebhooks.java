package com.dce.etl.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

/**
 * A backlog in {@code dce_inbox}, as a service finds it after its workers were stopped or the database was away:
 * TrackDrive webhooks stored and due, each a new call (the bodies {@code bench/webhook.lua} sends).
 */
final class StoredWebhooks {
    private static final int PER_COMMIT = 1_000;

    private StoredWebhooks() {
    }

    static void store(DataSource dataSource, long count) throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO dce_inbox (provider, channel, route_id, payload, received_at, attempts, next_attempt_at)"
                        + " VALUES ('trackdrive', 'webhook', 'trackdrive-webhook', ?, ?, 0, ?)")) {
            connection.setAutoCommit(false);
            for (long i = 0; i < count; i++) {
                insert.setString(1, body("backlog-" + i, i));
                insert.setObject(2, now);
                insert.setObject(3, now);
                insert.addBatch();
                if (i % PER_COMMIT == PER_COMMIT - 1 || i == count - 1) {
                    insert.executeBatch();
                    connection.commit();
                }
            }
        }
    }

    private static String body(String id, long n) {
        return "{\"event\":\"call_ended\",\"call\":{\"id\":\"" + id + "\",\"uuid\":\"U" + id + "\","
                + "\"created_at\":\"2026-11-23T09:00:00-05:00\",\"caller_number\":\"+1303555"
                + String.format("%04d", n % 10_000) + "\",\"number_called\":\"+18885550100\","
                + "\"offer\":\"Auto Insurance\",\"offer_id\":77,\"traffic_source\":\"Pub A\",\"status\":\"finished\","
                + "\"total_duration\":" + (n % 600) + ",\"buyer_revenue\":\"12.50\",\"buyer_converted\":\"Converted\","
                + "\"token_values\":{\"zip\":\"80202\"}}}";
    }
}
