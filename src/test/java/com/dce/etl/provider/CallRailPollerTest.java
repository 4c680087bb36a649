package com.dce.etl.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.dce.etl.support.Db;
import com.dce.etl.support.Fixtures;
import com.dce.etl.support.RunningService;
import com.dce.etl.support.Signatures;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** CallRail's calls poller and tracker sync against WireMock, and the enrichment of calls from trackers. */
class CallRailPollerTest {
    private static final String CALLS = "/v3/a/ACC123/calls.json";
    private static final String TRACKERS = "/v3/a/ACC123/trackers.json";
    private WireMockServer callrail;
    private RunningService service;

    private Db start(Map<String, String> extra) throws Exception {
        callrail = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        callrail.start();
        Map<String, String> settings = new HashMap<>(Map.of(
                "dce.callrail.base-url", callrail.baseUrl(),
                "dce.callrail.api-key", "cr-key-1",
                "dce.callrail.account-id", "ACC123",
                "dce.callrail.webhook-signing-key", "sign-key",
                "dce.callrail.backfill-from", "2026-11-20T16:00:00Z",
                "dce.callrail.poll-cron", "0 0 0 1 1 ? 2099",
                "dce.callrail.tracker-sync-cron", "0 0 0 1 1 ? 2099"));
        // the tests run the sync themselves; one test switches the start-up sync back on
        settings.put("dce.callrail.tracker-sync-at-start", "false");
        settings.putAll(extra);
        service = RunningService.start(settings);
        return service.db();
    }

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (callrail != null) {
            callrail.stop();
        }
    }

    private void page(String path, int page, String fixture) {
        callrail.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo(Integer.toString(page)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(Fixtures.text("callrail/" + fixture))));
    }

    private void trackerPages() {
        page(TRACKERS, 1, "trackers-page-1.json");
        page(TRACKERS, 2, "trackers-page-2.json");
    }

    private void callPages() {
        page(CALLS, 1, "calls-page-1.json");
        page(CALLS, 2, "calls-page-2-grown.json");
        page(CALLS, 3, "calls-page-3.json");
    }



    @Test
    void trackerSyncWritesOneRowPerNumberAndMarksWhatDisappears() throws Exception {
        Db db = start(Map.of());
        trackerPages();

        service.runNow("callrail", "trackers");

        assertThat(db.rows("SELECT external_tracker_id, tracking_number, tracker_name, tracker_type, status,"
                + " source_name, destination_number, company_id FROM dce_tracking_numbers"
                + " ORDER BY tracking_number")).containsExactly(
                tracker("TRK0001", "+17205550300", "Google Ads Landing", "session", "active", "google_paid",
                        "+13035550999"),
                tracker("TRK0002", "+17205550301", "Billboard I-25", "source", "active", "offline", "+13035550999"),
                tracker("TRK0003", "+17205550302", "Old Radio Spot", "source", "disabled", "offline", null),
                tracker("TRK0001", "+17205550304", "Google Ads Landing", "session", "active", "google_paid",
                        "+13035550999"));
        LoggedRequest request = callrail.findAll(getRequestedFor(urlPathEqualTo(TRACKERS))).get(0);
        assertThat(request.getHeader("Authorization")).isEqualTo("Token token=\"cr-key-1\"");

        callrail.resetAll();
        callrail.stubFor(get(urlPathEqualTo(TRACKERS)).willReturn(aResponse()
                .withBody(Fixtures.text("callrail/trackers-after-removal.json"))));
        service.runNow("callrail", "trackers");

        assertThat(db.rows("SELECT tracking_number, status FROM dce_tracking_numbers ORDER BY tracking_number"))
                .containsExactly(Map.of("tracking_number", "+17205550300", "status", "active"),
                        Map.of("tracking_number", "+17205550301", "status", "deleted"),
                        Map.of("tracking_number", "+17205550302", "status", "deleted"),
                        Map.of("tracking_number", "+17205550304", "status", "deleted"));
    }

    @Test
    void callsPollFollowsAGrowingPageCountAndRowsAreEnrichedFromTrackers() throws Exception {
        Db db = start(Map.of());
        trackerPages();
        service.runNow("callrail", "trackers");
        callPages();

        service.runNow("callrail", "calls");

        assertThat(db.rows("SELECT external_call_id, call_status, provider_status, direction, call_duration,"
                + " campaign_id, campaign_name, publisher_name, tracking_number FROM dce_calls"
                + " ORDER BY external_call_id")).containsExactly(
                call("CAL0001", "completed", "answered", "inbound", 184, "TRK0001", "Spring Promo", "Google Paid",
                        "+17205550300"),
                call("CAL0002", "voicemail", "voicemail", "inbound", 31, "TRK0002", "Billboard I-25", "offline",
                        "+17205550301"),
                call("CAL0003", "abandoned", "abandoned", "inbound", 4, "TRK0003", "Old Radio Spot", "offline",
                        "+17205550302"),
                call("CAL0004", "completed", "outbound", "outbound", 60, "TRK0001", "Google Ads Landing",
                        "google_paid", "+17205550300"),
                call("CAL0005", "no_answer", null, "inbound", 0, null, null, null, "+17205550303"));

        List<LoggedRequest> requests = callrail.findAll(getRequestedFor(urlPathEqualTo(CALLS)));
        assertThat(requests).extracting(r -> r.queryParameter("page").firstValue()).containsExactly("1", "2", "3");
        LoggedRequest first = requests.get(0);
        assertThat(first.queryParameter("start_date").firstValue()).isEqualTo("2026-11-20T15:00:00Z");
        assertThat(first.queryParameter("per_page").firstValue()).isEqualTo("250");
        assertThat(first.queryParameter("sort").firstValue()).isEqualTo("start_time");
        assertThat(first.queryParameter("fields").firstValue()).contains("tracker_id").contains("source")
                .contains("campaign").contains("value").contains("tags").contains("lead_status")
                .contains("company_id").contains("call_type");
        assertThat(first.getHeader("Authorization")).isEqualTo("Token token=\"cr-key-1\"");
        assertThat((OffsetDateTime) db.row("SELECT watermark FROM dce_poll_state WHERE stream = 'calls'")
                .get("watermark")).isEqualTo(OffsetDateTime.parse("2026-11-20T16:05:00Z"));
    }

    @Test
    void callsStoredBeforeTheirTrackersAreEnrichedWhenTheTrackersArrive() throws Exception {
        Db db = start(Map.of());
        callPages();
        service.runNow("callrail", "calls");
        assertThat(db.row("SELECT campaign_name FROM dce_calls WHERE external_call_id = 'CAL0002'")
                .get("campaign_name")).as("no tracker known yet").isNull();
        Map<String, Object> before = db.row("SELECT * FROM dce_calls WHERE external_call_id = 'CAL0001'");

        trackerPages();
        service.runNow("callrail", "trackers");

        assertThat(db.rows("SELECT external_call_id, campaign_id, campaign_name, publisher_name FROM dce_calls"
                + " ORDER BY external_call_id")).containsExactly(
                enriched("CAL0001", "TRK0001", "Spring Promo", "Google Paid"),
                enriched("CAL0002", "TRK0002", "Billboard I-25", "offline"),
                enriched("CAL0003", "TRK0003", "Old Radio Spot", "offline"),
                enriched("CAL0004", "TRK0001", "Google Ads Landing", "google_paid"),
                enriched("CAL0005", null, null, null));
        assertThat(db.row("SELECT * FROM dce_calls WHERE external_call_id = 'CAL0001'"))
                .as("a call that lacked nothing the tracker gives is not touched").isEqualTo(before);

        // the same trackers again change nothing, so no call is written again
        Object lastWrite = db.row("SELECT MAX(last_updated_at) AS t FROM dce_calls").get("t");
        service.runNow("callrail", "trackers");
        assertThat(db.row("SELECT MAX(last_updated_at) AS t FROM dce_calls").get("t")).isEqualTo(lastWrite);
    }

    @Test
    void trackersAreSyncedAtStartUp() throws Exception {
        callrail = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        callrail.start();
        trackerPages();
        service = RunningService.start(Map.of("dce.callrail.base-url", callrail.baseUrl(),
                "dce.callrail.api-key", "cr-key-1", "dce.callrail.account-id", "ACC123",
                "dce.callrail.tracker-sync-cron", "0 0 0 1 1 ? 2099", "dce.callrail.poll-cron", "0 0 0 1 1 ? 2099"));
        Db db = service.db();
        await().atMost(Duration.ofSeconds(20)).until(() -> db.count("dce_tracking_numbers") == 4);
    }

    private static Map<String, Object> enriched(String id, String campaignId, String campaignName, String publisher) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("external_call_id", id);
        row.put("campaign_id", campaignId);
        row.put("campaign_name", campaignName);
        row.put("publisher_name", publisher);
        return row;
    }

    @Test
    void webhookCallsAreEnrichedToo() throws Exception {
        Db db = start(Map.of());
        trackerPages();
        service.runNow("callrail", "trackers");
        byte[] body = ("{\"resource_id\": \"CAL0099\", \"call_type\": \"answered\", \"duration\": \"20\","
                + " \"tracking_phone_number\": \"+17205550304\", \"campaign\": \"\", \"source_name\": \"\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String signature = Signatures.callrail("sign-key", body);
        assertThat(service.postBytes("/webhooks/callrail", body, "Signature", signature, "Content-Type",
                "application/json").statusCode()).isEqualTo(202);
        Map<String, Object> row = await().atMost(Duration.ofSeconds(10))
                .until(() -> db.rows("SELECT * FROM dce_calls"), rows -> rows.size() == 1).get(0);
        assertThat(row).containsEntry("campaign_id", "TRK0001").containsEntry("campaign_name", "Google Ads Landing")
                .containsEntry("publisher_name", "google_paid");
    }

    @Test
    void rateLimitWithoutRetryAfterBacksOffAndKeepsItsPlace() throws Exception {
        Db db = start(Map.of());
        callPages();
        callrail.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("page", equalTo("2")).inScenario("429")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("again")
                .willReturn(aResponse().withStatus(429).withBody("Too Many Requests")));
        callrail.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("page", equalTo("2")).inScenario("429")
                .whenScenarioStateIs("again").willSetStateTo("ok")
                .willReturn(aResponse().withStatus(429).withBody("Too Many Requests")));
        callrail.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("page", equalTo("2")).inScenario("429")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withBody(Fixtures.text("callrail/calls-page-2-grown.json"))));

        service.runNow("callrail", "calls");

        assertThat(db.count("dce_calls")).isEqualTo(5);
        assertThat(callrail.findAll(getRequestedFor(urlPathEqualTo(CALLS)).withQueryParam("page", equalTo("1"))))
                .as("page 1 is not read again").hasSize(1);
    }

    @Test
    void usedUpBudgetStopsThePollAtACommittedPage() throws Exception {
        Db db = start(Map.of("dce.callrail.requests-per-hour", "2",
                "dce.http-client.max-budget-wait-seconds", "0"));
        callPages();

        service.runNow("callrail", "calls");

        assertThat(callrail.findAll(getRequestedFor(urlPathEqualTo(CALLS)))).hasSize(2);
        assertThat(db.count("dce_calls")).isEqualTo(4);
        Map<String, Object> state = db.row("SELECT watermark, last_error FROM dce_poll_state");
        assertThat((OffsetDateTime) state.get("watermark")).isEqualTo(OffsetDateTime.parse("2026-11-20T15:50:00Z"));
        assertThat((String) state.get("last_error")).contains("callrail request budget of 2/hour is used up");

        service.runNow("callrail", "trackers");
        assertThat(callrail.findAll(getRequestedFor(urlPathEqualTo(TRACKERS))))
                .as("the tracker sync shares the budget").isEmpty();
    }

    private static Map<String, Object> tracker(String id, String number, String name, String type, String status,
            String source, String destination) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("external_tracker_id", id);
        row.put("tracking_number", number);
        row.put("tracker_name", name);
        row.put("tracker_type", type);
        row.put("status", status);
        row.put("source_name", source);
        row.put("destination_number", destination);
        row.put("company_id", "COM0001");
        return row;
    }

    private static Map<String, Object> call(String id, String status, String providerStatus, String direction,
            Integer duration, String campaignId, String campaign, String publisher, String tracking) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("external_call_id", id);
        row.put("call_status", status);
        row.put("provider_status", providerStatus);
        row.put("direction", direction);
        row.put("call_duration", duration);
        row.put("campaign_id", campaignId);
        row.put("campaign_name", campaign);
        row.put("publisher_name", publisher);
        row.put("tracking_number", tracking);
        return row;
    }
}
