package com.dce.etl.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.support.Db;
import com.dce.etl.support.Fixtures;
import com.dce.etl.support.ServiceProcess;
import com.dce.etl.support.TestDatabase;
import com.dce.etl.support.TestDatabases;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.zaxxer.hikari.HikariDataSource;

/**
 * kill -9 of the service while webhooks stream in and a poll waits for a page, then a restart: every webhook that got
 * a 202 ends as exactly one row or one dead letter, and the watermark never passed a row that was not committed.
 */
class CrashRecoveryTest {
    private static final String TOKEN = "crash-token";
    private static final int WEBHOOKS = 400;

    @TempDir
    Path dir;

    @Test
    void killNineMidStreamAndMidPageLosesAndDoublesNothing() throws Exception {
        String url = TestDatabase.freshUrl(dir);
        WireMockServer trackdrive = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        trackdrive.start();
        page(trackdrive, "-1", "calls-page-1.json", 0);
        page(trackdrive, "1700000101", "calls-page-2.json", 4000);
        page(trackdrive, "1700000202", "calls-page-3.json", 0);
        Map<String, String> settings = new HashMap<>(Map.of(
                "dce.db.url", url, "dce.db.user", TestDatabase.user(), "dce.trackdrive.webhook-token", TOKEN,
                "dce.trackdrive.base-url", trackdrive.baseUrl(), "dce.trackdrive.public-key", "p",
                "dce.trackdrive.private-key", "k", "dce.trackdrive.backfill-from", "2026-11-20T15:00:00Z",
                "dce.trackdrive.poll-cron", "0/1 * * * * ?", "dce.inbox.lease-seconds", "2"));
        settings.putAll(Map.of("dce.inbox.sweep-interval-ms", "500", "dce.retry.initial-delay-ms", "100",
                "dce.retry.max-delay-ms", "1000"));

        Set<String> acked = ConcurrentHashMap.newKeySet();
        try (ServiceProcess first = ServiceProcess.start("crash-1", settings)) {
            AtomicBoolean killed = new AtomicBoolean();
            ExecutorService senders = Executors.newFixedThreadPool(8);
            for (int i = 0; i < WEBHOOKS; i++) {
                String key = "c-" + i;
                senders.submit(() -> {
                    if (!killed.get() && send(first, key)) {
                        acked.add(key);
                    }
                });
            }
            // killed while page 2 (4 s slow) is on its way: page 1 committed, page 2 not
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= WEBHOOKS / 2
                    && !trackdrive.findAll(getRequestedFor(urlPathEqualTo("/api/v1/calls"))
                            .withQueryParam("cursor", equalTo("1700000101"))).isEmpty()
                    && watermarkIsStored(url));
            first.kill();
            killed.set(true);
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(WEBHOOKS / 2);

        try (HikariDataSource dataSource = TestDatabases.migrated(url, TestDatabase.user(), "")) {
            Db db = new Db(dataSource);
            assertWatermarkCoversOnlyCommittedRows(db);
            dataSource.close();
            try (ServiceProcess second = ServiceProcess.start("crash-2", settings);
                    HikariDataSource reopened = TestDatabases.migrated(url, TestDatabase.user(), "")) {
                Db after = new Db(reopened);
                await().atMost(Duration.ofSeconds(60)).until(() -> after.count("dce_inbox") == 0
                        && after.rows("SELECT 1 FROM dce_calls WHERE external_call_id = '5007'").size() == 1);
                reconcile(after, acked);
            }
        } finally {
            trackdrive.stop();
        }
    }

    private static boolean watermarkIsStored(String url) throws Exception {
        try (HikariDataSource dataSource = TestDatabases.migrated(url, TestDatabase.user(), "")) {
            return new Db(dataSource).rows("SELECT 1 FROM dce_poll_state WHERE provider = 'trackdrive'"
                    + " AND watermark IS NOT NULL").size() == 1;
        }
    }

    /** Every record of the fixture pages at or before the watermark must already be a row. */
    private static void assertWatermarkCoversOnlyCommittedRows(Db db) throws Exception {
        OffsetDateTime watermark = (OffsetDateTime) db.row(
                "SELECT watermark FROM dce_poll_state WHERE provider = 'trackdrive'").get("watermark");
        assertThat(watermark).as("page 1 was committed before the kill").isNotNull();
        Map<String, String> pageRecords = Map.of("5001", "2026-11-20T15:05:00Z", "5002", "2026-11-20T15:20:00Z",
                "5003", "2026-11-20T15:40:00Z", "5004", "2026-11-20T16:00:00Z", "5007", "2026-11-20T16:45:00Z");
        for (Map.Entry<String, String> record : pageRecords.entrySet()) {
            if (!OffsetDateTime.parse(record.getValue()).isAfter(watermark)) {
                assertThat(db.rows("SELECT 1 FROM dce_calls WHERE external_call_id = '" + record.getKey() + "'"))
                        .as("watermark %s passed uncommitted call %s", watermark, record.getKey()).hasSize(1);
            }
        }
    }

    private static void reconcile(Db db, Set<String> acked) throws Exception {
        List<String> rows = db.rows("SELECT external_call_id FROM dce_calls WHERE external_call_id LIKE 'c-%'")
                .stream().map(row -> (String) row.get("external_call_id")).toList();
        List<String> letters = db.rows("SELECT payload FROM dce_dead_letters WHERE provider = 'trackdrive'"
                + " AND channel = 'webhook'").stream().map(row -> (String) row.get("payload")).toList();
        assertThat(rows).doesNotHaveDuplicates();
        List<String> missing = new java.util.ArrayList<>();
        for (String key : acked) {
            long found = unmappable(key)
                    ? letters.stream().filter(payload -> payload.contains("\"" + key + "\"")).count()
                    : rows.stream().filter(key::equals).count();
            if (found != 1) {
                missing.add(key + " (" + found + ")");
            }
        }
        assertThat(missing).as("acknowledged webhooks not ending as exactly one row or dead letter, of %s acked",
                acked.size()).isEmpty();
    }

    /** Every tenth webhook lacks its id and must end as a MISSING_ID dead letter. */
    private static boolean unmappable(String key) {
        return Integer.parseInt(key.substring(2)) % 10 == 0;
    }

    private static boolean send(ServiceProcess target, String key) {
        String body = unmappable(key)
                ? "{\"call\": {\"caller_city\": \"" + key + "\", \"status\": \"finished\"}}"
                : "{\"call\": {\"id\": \"" + key + "\", \"status\": \"finished\", \"total_duration\": 42}}";
        return target.postJson("/webhooks/trackdrive?token=" + TOKEN, body) == 202;
    }

    private static void page(WireMockServer server, String cursor, String fixture, int delayMillis) {
        server.stubFor(get(urlPathEqualTo("/api/v1/calls")).withQueryParam("cursor", equalTo(cursor))
                .willReturn(aResponse().withFixedDelay(delayMillis)
                        .withBody(Fixtures.text("trackdrive/" + fixture))));
    }
}
