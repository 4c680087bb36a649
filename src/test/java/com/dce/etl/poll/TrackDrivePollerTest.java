package com.dce.etl.poll;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dce.etl.support.Db;
import com.dce.etl.support.Fixtures;
import com.dce.etl.support.RunningService;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** The TrackDrive poller against WireMock playing TrackDrive's API from fixtures, loading into H2. */
class TrackDrivePollerTest {
    private static final String CALLS = "/api/v1/calls";
    private static WireMockServer trackdrive;
    private static RunningService service;
    private static Db db;

    @BeforeAll
    static void start() throws Exception {
        trackdrive = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        trackdrive.start();
        service = RunningService.start(Map.of(
                "dce.trackdrive.base-url", trackdrive.baseUrl(),
                "dce.trackdrive.public-key", "pub-key",
                "dce.trackdrive.private-key", "priv-key",
                "dce.trackdrive.backfill-from", "2026-11-20T15:00:00Z",
                "dce.admin.token", "adm",
                // the test triggers polls itself
                "dce.trackdrive.poll-cron", "0 0 0 1 1 ? 2099"));
        db = service.db();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        trackdrive.stop();
    }

    @BeforeEach
    void reset() throws Exception {
        db.clear();
        trackdrive.resetAll();
    }

    private static void page(String cursor, String fixture) {
        trackdrive.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("cursor", equalTo(cursor))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(Fixtures.text("trackdrive/" + fixture))));
    }

    private static void threePages() {
        page("-1", "calls-page-1.json");
        page("1700000101", "calls-page-2.json");
        page("1700000202", "calls-page-3.json");
    }

    private static OffsetDateTime watermark() throws Exception {
        return (OffsetDateTime) db.row("SELECT watermark FROM dce_poll_state WHERE provider = 'trackdrive'"
                + " AND stream = 'calls'").get("watermark");
    }

    @Test
    void walksAllCursorPagesAndLoadsExactRows() throws Exception {
        threePages();

        service.runNow("trackdrive", "calls");

        assertThat(db.rows("SELECT external_call_id, call_uuid, caller_phone, call_status, provider_status,"
                + " call_duration, call_value, publisher_payout, is_converted, offer_converted, campaign_name,"
                + " buyer_name, ingest_channel FROM dce_calls ORDER BY external_call_id")).containsExactly(
                row("5001", "CA-5001", "+13035550101", "completed", "finished", 240, "25.0000", "10.5000", true, true,
                        "Auto Insurance", "Buyer B"),
                row("5002", "CA-5002", "+17205550102", "rejected", "no-buyer-capped", 35, "0.0000", null, false, null,
                        "Auto Insurance", null),
                row("5003", "CA-5003", "+442079460958", "completed", "finished", 390, "42.5000", "12.0000", true, null,
                        "Travel", "Buyer C"),
                row("5004", "CA-5004", null, "abandoned", "caller-hung-up", 20, null, null, null, null, "Travel", null),
                row("5007", "CA-5007", "+13035550107", "in_progress", "forwarded", 3, null, null, null, null,
                        "Auto Insurance", null));
        assertThat(db.rows("SELECT reason_code, channel, route_id FROM dce_dead_letters ORDER BY reason_code"))
                .containsExactly(
                        Map.of("reason_code", "MAPPING_ERROR", "channel", "poll", "route_id", "trackdrive-calls-poll"),
                        Map.of("reason_code", "MISSING_ID", "channel", "poll", "route_id", "trackdrive-calls-poll"));
        assertThat(db.row("SELECT payload, error_message FROM dce_dead_letters WHERE reason_code = 'MAPPING_ERROR'"))
                .satisfies(letter -> {
                    // the record as TrackDrive sent it, spacing and all
                    assertThat((String) letter.get("payload")).startsWith("{\"id\": 5005,").contains("forever");
                    assertThat((String) letter.get("error_message")).contains("call_duration");
                });

        String sent = (String) db.row("SELECT source_payload FROM dce_calls WHERE external_call_id = '5001'")
                .get("source_payload");
        assertThat(sent).as("the record as sent, cut from the page").startsWith("{\"id\": 5001, \"uuid\"")
                .contains("\n").endsWith("}");
        assertThat(Fixtures.text("trackdrive/calls-page-1.json")).contains(sent);

        assertThat(watermark()).isEqualTo(OffsetDateTime.parse("2026-11-20T16:45:00Z"));
        Map<String, Object> state = db.row("SELECT * FROM dce_poll_state");
        assertThat(state.get("rows_loaded")).isEqualTo(5L);
        assertThat(state.get("last_success_at")).isNotNull();
        assertThat(state.get("last_error")).isNull();

        List<LoggedRequest> requests = trackdrive.findAll(getRequestedFor(urlPathEqualTo(CALLS)));
        assertThat(requests).hasSize(3);
        LoggedRequest first = requests.get(0);
        assertThat(first.queryParameter("created_at_from").firstValue()).isEqualTo("2026-11-20 14:00:00 +0000");
        assertThat(first.queryParameter("order").firstValue()).isEqualTo("created_at");
        assertThat(first.queryParameter("order_dir").firstValue()).isEqualTo("asc");
        assertThat(first.getHeader("Authorization")).isEqualTo("Basic cHViLWtleTpwcml2LWtleQ==");
    }

    @Test
    void nextPollStartsAtWatermarkMinusLookbackAndChangesNothing() throws Exception {
        threePages();
        service.runNow("trackdrive", "calls");
        List<Map<String, Object>> before = db.rows("SELECT * FROM dce_calls ORDER BY external_call_id");
        trackdrive.resetRequests();

        service.runNow("trackdrive", "calls");

        LoggedRequest first = trackdrive.findAll(getRequestedFor(urlPathEqualTo(CALLS))).get(0);
        assertThat(first.queryParameter("created_at_from").firstValue()).isEqualTo("2026-11-20 15:45:00 +0000");
        assertThat(db.rows("SELECT * FROM dce_calls ORDER BY external_call_id")).isEqualTo(before);
        assertThat(db.row("SELECT attempts FROM dce_dead_letters WHERE reason_code = 'MISSING_ID'").get("attempts"))
                .as("the re-read bad record is counted, not stored twice").isEqualTo(2);
        assertThat(db.count("dce_dead_letters")).isEqualTo(2);
    }

    @Test
    void rateLimitedAndFailingPagesAreRetried() throws Exception {
        page("-1", "calls-page-1.json");
        trackdrive.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("cursor", equalTo("1700000101"))
                .inScenario("p2").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("limited-once")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"error\":\"rate limited\"}")));
        trackdrive.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("cursor", equalTo("1700000101"))
                .inScenario("p2").whenScenarioStateIs("limited-once")
                .willReturn(aResponse().withBody(Fixtures.text("trackdrive/calls-page-2.json"))));
        trackdrive.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("cursor", equalTo("1700000202"))
                .inScenario("p3").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("failed-once")
                .willReturn(aResponse().withStatus(500).withBody("oops")));
        trackdrive.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("cursor", equalTo("1700000202"))
                .inScenario("p3").whenScenarioStateIs("failed-once")
                .willReturn(aResponse().withBody(Fixtures.text("trackdrive/calls-page-3.json"))));

        long started = System.nanoTime();
        service.runNow("trackdrive", "calls");
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(db.count("dce_calls")).isEqualTo(5);
        assertThat(watermark()).isEqualTo(OffsetDateTime.parse("2026-11-20T16:45:00Z"));
        assertThat(elapsedMillis).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(1000);
        assertThat(trackdrive.findAll(getRequestedFor(urlPathEqualTo(CALLS)))).hasSize(5);
    }

    @Test
    void aPageThatNeverLoadsFailsThePollAndKeepsTheWatermark() throws Exception {
        page("-1", "calls-page-1.json");
        trackdrive.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("cursor", equalTo("1700000101"))
                .willReturn(aResponse().withStatus(503)));

        service.runNow("trackdrive", "calls");

        assertThat(db.count("dce_calls")).isEqualTo(2);
        assertThat(watermark()).isEqualTo(OffsetDateTime.parse("2026-11-20T15:20:00Z"));
        assertThat((String) db.row("SELECT last_error FROM dce_poll_state").get("last_error")).contains("HTTP 503");
        assertThat(trackdrive.findAll(getRequestedFor(urlPathEqualTo(CALLS)))).hasSize(1 + 6);
    }

    @Test
    void crashBetweenFetchAndCommitReReadsWithoutGap() throws Exception {
        threePages();
        db.failInsertsOf("5003");
        try {
            service.runNow("trackdrive", "calls");
        } finally {
            db.stopFailingInserts();
        }
        assertThat(db.rows("SELECT external_call_id FROM dce_calls ORDER BY external_call_id"))
                .extracting(r -> r.get("external_call_id")).containsExactly("5001", "5002");
        assertThat(watermark()).as("page 2 was fetched but not committed").isEqualTo(
                OffsetDateTime.parse("2026-11-20T15:20:00Z"));
        assertThat((String) db.row("SELECT last_error FROM dce_poll_state").get("last_error"))
                .contains("simulated connection loss");
        trackdrive.resetRequests();

        service.runNow("trackdrive", "calls");

        assertThat(trackdrive.findAll(getRequestedFor(urlPathEqualTo(CALLS))).get(0)
                .queryParameter("created_at_from").firstValue()).isEqualTo("2026-11-20 14:20:00 +0000");
        assertThat(db.rows("SELECT external_call_id FROM dce_calls ORDER BY external_call_id"))
                .extracting(r -> r.get("external_call_id")).containsExactly("5001", "5002", "5003", "5004", "5007");
        assertThat(watermark()).isEqualTo(OffsetDateTime.parse("2026-11-20T16:45:00Z"));
    }

    @Test
    void providerRefusingCredentialsFailsAtOnceAndShowsInHealth() throws Exception {
        trackdrive.stubFor(get(urlPathEqualTo(CALLS)).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"bad key\"}")));

        service.runNow("trackdrive", "calls");

        assertThat(trackdrive.findAll(getRequestedFor(urlPathEqualTo(CALLS)))).hasSize(1);
        assertThat(db.count("dce_poll_state")).isEqualTo(1);
        assertThat((String) db.row("SELECT last_error FROM dce_poll_state").get("last_error")).contains("HTTP 401");
        var health = service.get("/observe/health?exposureLevel=full");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("poller-trackdrive-calls").contains("HTTP 401");

        threePages();
        trackdrive.resetMappings();
        threePages();
        service.runNow("trackdrive", "calls");
        assertThat(service.get("/observe/health").statusCode()).isEqualTo(200);
    }

    @Test
    void adminApiRunsAPollNow() throws Exception {
        threePages();
        var started = service.post("/admin/polls/trackdrive/calls/run", "", "Authorization", "Bearer adm");
        assertThat(started.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> db.count("dce_calls") == 5 && !service.channel("trackdrive", "calls").isRunning());
        assertThat(service.post("/admin/polls/trackdrive/nope/run", "", "Authorization", "Bearer adm").statusCode())
                .isEqualTo(404);
        assertThat(service.post("/admin/polls/retreaver/calls-created/run", "", "Authorization", "Bearer adm")
                .body()).contains("is off; set dce.retreaver.api-key");
    }

    private static Map<String, Object> row(String id, String uuid, String phone, String status, String providerStatus,
            Integer duration, String value, String payout, Boolean converted, Boolean offerConverted,
            String campaign, String buyer) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("external_call_id", id);
        row.put("call_uuid", uuid);
        row.put("caller_phone", phone);
        row.put("call_status", status);
        row.put("provider_status", providerStatus);
        row.put("call_duration", duration);
        row.put("call_value", value == null ? null : new BigDecimal(value));
        row.put("publisher_payout", payout == null ? null : new BigDecimal(payout));
        row.put("is_converted", converted);
        row.put("offer_converted", offerConverted);
        row.put("campaign_name", campaign);
        row.put("buyer_name", buyer);
        row.put("ingest_channel", "poll");
        return row;
    }
}
