package com.dce.etl.poll;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dce.etl.support.Fixtures;
import com.dce.etl.support.RunningService;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/** The poll route's real Quartz trigger runs the poller on its cron, and /observe shows the outcome. */
class ScheduledPollTest {

    @Test
    void quartzCronRunsThePollAndMetricsCountIt() throws Exception {
        WireMockServer trackdrive = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        trackdrive.start();
        for (String[] page : new String[][] {{"-1", "calls-page-1.json"}, {"1700000101", "calls-page-2.json"},
            {"1700000202", "calls-page-3.json"}}) {
            trackdrive.stubFor(get(urlPathEqualTo("/api/v1/calls")).withQueryParam("cursor", equalTo(page[0]))
                    .willReturn(aResponse().withBody(Fixtures.text("trackdrive/" + page[1]))));
        }
        try (RunningService service = RunningService.start(Map.of(
                "dce.trackdrive.base-url", trackdrive.baseUrl(),
                "dce.trackdrive.public-key", "pub",
                "dce.trackdrive.private-key", "priv",
                "dce.trackdrive.backfill-from", "2026-11-20T15:00:00Z",
                "dce.trackdrive.poll-cron", "0/1 * * * * ?"))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> service.db().count("dce_calls") == 5);
            await().atMost(Duration.ofSeconds(5)).until(() -> service.db()
                    .row("SELECT last_success_at FROM dce_poll_state").get("last_success_at") != null);

            String metrics = service.get("/observe/metrics").body();
            assertThat(metrics).containsPattern(
                    "dce_calls_received_total\\{channel=\"poll\",provider=\"trackdrive\"} [1-9]")
                    .containsPattern("dce_calls_loaded_total\\{channel=\"poll\",provider=\"trackdrive\"} [1-9]")
                    .containsPattern("dce_calls_dead_lettered_total\\{channel=\"poll\",provider=\"trackdrive\","
                            + "reason=\"MISSING_ID\"} [1-9]")
                    .containsPattern("dce_polls_total\\{outcome=\"success\",provider=\"trackdrive\",stream=\"calls\"}");
            var health = service.get("/observe/health?exposureLevel=full");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("database");
        } finally {
            trackdrive.stop();
        }
    }
}
