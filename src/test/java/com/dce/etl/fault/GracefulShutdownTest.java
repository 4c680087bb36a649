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
import java.util.Map;

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

/** SIGTERM while a poll waits for a slow page: the poll finishes and commits, then the process exits, in bounded time. */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void sigtermDrainsTheRunningPollBeforeExit() throws Exception {
        String url = TestDatabase.exclusiveUrl(dir);
        WireMockServer trackdrive = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        trackdrive.start();
        String[][] pages = {{"-1", "calls-page-1.json", "0"}, {"1700000101", "calls-page-2.json", "3000"},
            {"1700000202", "calls-page-3.json", "0"}};
        for (String[] page : pages) {
            trackdrive.stubFor(get(urlPathEqualTo("/api/v1/calls")).withQueryParam("cursor", equalTo(page[0]))
                    .willReturn(aResponse().withFixedDelay(Integer.parseInt(page[2]))
                            .withBody(Fixtures.text("trackdrive/" + page[1]))));
        }
        try (ServiceProcess service = ServiceProcess.start("graceful", Map.of("dce.db.url", url,
                "dce.db.user", TestDatabase.user(), "dce.trackdrive.base-url", trackdrive.baseUrl(),
                "dce.trackdrive.public-key", "p", "dce.trackdrive.private-key", "k",
                "dce.trackdrive.backfill-from", "2026-11-20T15:00:00Z", "dce.trackdrive.poll-cron", "0/1 * * * * ?"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !trackdrive.findAll(getRequestedFor(
                    urlPathEqualTo("/api/v1/calls")).withQueryParam("cursor", equalTo("1700000101"))).isEmpty());

            long started = System.nanoTime();
            service.terminate(Duration.ofSeconds(45));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).as("stopped within camel.main.shutdown-timeout").isLessThan(Duration.ofSeconds(35));
            assertThat(took).as("waited for the slow page").isGreaterThan(Duration.ofMillis(500));
            assertThat(service.log()).contains("shutdown in").doesNotContain("Timeout occurred during graceful shutdown");
        } finally {
            trackdrive.stop();
        }
        try (HikariDataSource dataSource = TestDatabases.migrated(url, TestDatabase.user(), "")) {
            Db db = new Db(dataSource);
            assertThat(db.rows("SELECT external_call_id FROM dce_calls ORDER BY external_call_id"))
                    .extracting(row -> row.get("external_call_id")).contains("5001", "5002", "5003", "5004");
            OffsetDateTime watermark = (OffsetDateTime) db.row("SELECT watermark FROM dce_poll_state").get("watermark");
            assertThat(watermark).isAfterOrEqualTo(OffsetDateTime.parse("2026-11-20T16:00:00Z"));
        }
    }
}
