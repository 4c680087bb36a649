package com.dce.etl.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
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
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** Retreaver's created and updated streams against WireMock serving Link-header pages from fixtures. */
class RetreaverPollerTest {
    private static final String CALLS = "/api/v2/calls.json";
    private static WireMockServer retreaver;
    private static RunningService service;
    private static Db db;

    @BeforeAll
    static void start() throws Exception {
        retreaver = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        retreaver.start();
        service = RunningService.start(Map.of(
                "dce.retreaver.base-url", retreaver.baseUrl(),
                "dce.retreaver.api-key", "rk-123",
                "dce.retreaver.company-id", "42",
                "dce.retreaver.backfill-from", "2026-11-20T15:30:00Z",
                "dce.retreaver.poll-cron", "0 0 0 1 1 ? 2099"));
        db = service.db();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        retreaver.stop();
    }

    @BeforeEach
    void reset() throws Exception {
        db.clear();
        retreaver.resetAll();
    }

    private static MappingBuilder calls(String sortBy, String page) {
        MappingBuilder request = get(urlPathEqualTo(CALLS)).withQueryParam("sort_by", equalTo(sortBy))
                .withQueryParam("api_key", equalTo("rk-123")).withQueryParam("company_id", equalTo("42"));
        return request.withQueryParam("page", page == null ? absent() : equalTo(page));
    }

    private static void serve(String sortBy, String page, String fixture, String nextLink) {
        var response = aResponse().withHeader("Content-Type", "application/json")
                .withBody(Fixtures.text("retreaver/" + fixture));
        if (nextLink != null) {
            response.withHeader("Link", nextLink);
        }
        retreaver.stubFor(calls(sortBy, page).willReturn(response));
    }

    private static void firstPollPages() {
        serve("created_at", null, "created-page-1.json", "<" + retreaver.baseUrl() + CALLS
                + "?api_key=rk-123&company_id=42&sort_by=created_at&order=asc&page=2>; rel=\"next\", <"
                + retreaver.baseUrl() + CALLS + "?page=9>; rel=\"last\"");
        serve("created_at", "2", "calls-sample-page.json", null);
        // newest first: page 1 is within the window, page 2 reaches back past it, page 3 must not be asked for
        retreaver.stubFor(calls("updated_at", null).willReturn(aResponse().withHeader("Link",
                "<" + CALLS + "?api_key=rk-123&company_id=42&sort_by=updated_at&page=2>; rel=\"next\"")
                .withBody("[" + call("rt-0002", "no-answer", "2026-11-20T15:20:31Z") + ","
                        + call("rt-0001", "in-progress", "2026-11-20T15:10:07.5Z") + "]")));
        retreaver.stubFor(calls("updated_at", "2").willReturn(aResponse().withHeader("Link",
                "<" + CALLS + "?api_key=rk-123&company_id=42&sort_by=updated_at&page=3>; rel=\"next\"")
                .withBody("[" + call("rt-old", "finished", "2026-11-20T09:00:00Z") + "]")));
        retreaver.stubFor(calls("updated_at", "3").willReturn(aResponse().withBody("[]")));
    }

    private static String call(String uuid, String status, String updatedAt) {
        return "{\"call\": {\"uuid\": \"" + uuid + "\", \"status\": \"" + status + "\", \"created_at\": \""
                + updatedAt + "\", \"updated_at\": \"" + updatedAt + "\"}}";
    }

    private static OffsetDateTime watermark(String stream) throws Exception {
        return (OffsetDateTime) db.row("SELECT watermark FROM dce_poll_state WHERE provider = 'retreaver'"
                + " AND stream = '" + stream + "'").get("watermark");
    }

    @Test
    void createdStreamFollowsLinkHeadersAndLoadsExactRows() throws Exception {
        firstPollPages();

        service.runNow("retreaver", "calls-created");

        List<Map<String, Object>> rows = db.rows("SELECT external_call_id, caller_phone, call_status, call_duration,"
                + " call_value, publisher_payout, campaign_id, publisher_id, publisher_name, buyer_id, buyer_name,"
                + " call_answer_time, custom_data FROM dce_calls ORDER BY external_call_id");
        assertThat(rows).extracting(r -> r.get("external_call_id"))
                .containsExactly("f1abfb78-ab8a-4146-9946-8169fbcc6d6c", "rt-0001", "rt-0002");
        assertThat(rows.get(0)).containsEntry("caller_phone", "+13015236555").containsEntry("call_status", "completed")
                .containsEntry("call_duration", 14).containsEntry("call_value", new BigDecimal("5.0000"))
                .containsEntry("publisher_payout", new BigDecimal("5.0000")).containsEntry("campaign_id", "9872")
                .containsEntry("publisher_id", null).containsEntry("buyer_id", "27449")
                .containsEntry("buyer_name", "Taylor Anderson - Sales - +12263399112");
        assertThat((String) rows.get(0).get("custom_data")).contains("\"geo\":[\"301\",\"us\",\"us-28379\",\"us-nc\"]")
                .contains("\"charge_total\":\"0.08\"").contains("\"hung_up_by\":\"caller\"");
        assertThat(rows.get(1)).containsEntry("caller_phone", "+13015550001").containsEntry("call_status", "in_progress")
                .containsEntry("publisher_id", "311").containsEntry("publisher_name", "Pub North")
                .containsEntry("buyer_name", "Sun Buyer");
        assertThat(((OffsetDateTime) rows.get(1).get("call_answer_time")).toInstant())
                .isEqualTo(OffsetDateTime.parse("2026-11-20T15:10:07Z").toInstant());
        assertThat(rows.get(2)).containsEntry("caller_phone", "+13015550002").containsEntry("call_status", "no_answer")
                .containsEntry("call_value", new BigDecimal("0.0000"));

        List<LoggedRequest> requests = retreaver.findAll(getRequestedFor(urlPathEqualTo(CALLS)));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).queryParameter("created_at_start").firstValue()).isEqualTo("2026-11-20T14:30:00Z");
        assertThat(requests.get(0).queryParameter("order").firstValue()).isEqualTo("asc");
        assertThat(watermark("calls-created")).isEqualTo(OffsetDateTime.parse("2026-11-20T15:20:00.050Z"));
    }

    @Test
    void updatedStreamStopsPastTheWindowAndBringsACallToItsEnd() throws Exception {
        firstPollPages();
        service.runNow("retreaver", "calls-created");
        service.runNow("retreaver", "calls-updated");

        assertThat(retreaver.findAll(getRequestedFor(urlPathEqualTo(CALLS)).withQueryParam("page", equalTo("3"))))
                .as("page 2 already reached back past the window").isEmpty();
        assertThat(watermark("calls-updated")).isEqualTo(OffsetDateTime.parse("2026-11-20T15:20:31Z"));
        assertThat(db.row("SELECT call_status FROM dce_calls WHERE external_call_id = 'rt-0001'"))
                .containsEntry("call_status", "in_progress");

        // a later poll: rt-0001 has finished since
        retreaver.resetAll();
        retreaver.stubFor(calls("updated_at", null).willReturn(aResponse()
                .withBody(Fixtures.text("retreaver/updated-later.json"))));
        service.runNow("retreaver", "calls-updated");

        Map<String, Object> row = db.row("SELECT * FROM dce_calls WHERE external_call_id = 'rt-0001'");
        assertThat(row).containsEntry("call_status", "completed").containsEntry("provider_status", "finished")
                .containsEntry("call_duration", 400).containsEntry("call_value", new BigDecimal("45.0000"))
                .containsEntry("is_converted", true).containsEntry("caller_city", "Rockville")
                .containsEntry("ingest_channel", "poll");
        assertThat(watermark("calls-updated")).isEqualTo(OffsetDateTime.parse("2026-11-20T15:20:31Z"));
        assertThat(db.count("dce_calls")).isEqualTo(5);
    }

    @Test
    void rateLimitBacksOffAndResumes() throws Exception {
        firstPollPages();
        retreaver.stubFor(calls("created_at", "2").inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("ok").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"error\":\"Rate limit exceeded\"}")));
        retreaver.stubFor(calls("created_at", "2").inScenario("429").whenScenarioStateIs("ok")
                .willReturn(aResponse().withBody(Fixtures.text("retreaver/calls-sample-page.json"))));

        service.runNow("retreaver", "calls-created");

        assertThat(db.count("dce_calls")).isEqualTo(3);
        assertThat(db.row("SELECT last_error FROM dce_poll_state").get("last_error")).isNull();
    }

    @Test
    void refusedKeyFailsLoudlyOnceAndKeepsTheWatermark() throws Exception {
        firstPollPages();
        service.runNow("retreaver", "calls-created");
        OffsetDateTime before = watermark("calls-created");
        retreaver.resetAll();
        retreaver.stubFor(get(urlPathEqualTo(CALLS)).willReturn(aResponse().withStatus(403)
                .withBody("{\"error\":\"Invalid API key\"}")));

        service.runNow("retreaver", "calls-created");

        assertThat(retreaver.findAll(getRequestedFor(urlPathEqualTo(CALLS)))).as("no retry of a refused key").hasSize(1);
        assertThat(watermark("calls-created")).isEqualTo(before);
        assertThat((String) db.row("SELECT last_error FROM dce_poll_state WHERE stream = 'calls-created'")
                .get("last_error")).contains("HTTP 403").doesNotContain("rk-123");
        var health = service.get("/observe/health?exposureLevel=full");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("poller-retreaver-calls-created").doesNotContain("rk-123");
        assertThat(service.get("/observe/metrics").body()).containsPattern(
                "dce_polls_total\\{outcome=\"refused\",provider=\"retreaver\",stream=\"calls-created\"} 1");

        retreaver.resetAll();
        firstPollPages();
        service.runNow("retreaver", "calls-created");
        assertThat(service.get("/observe/health").statusCode()).isEqualTo(200);
    }
}
