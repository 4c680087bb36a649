package com.dce.etl.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dce.etl.reconcile.Reconciliation;
import com.dce.etl.support.Db;
import com.dce.etl.support.RunningService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * Ringba, a provider that is declarations only (routes/ringba.camel.yaml, config/mappings/ringba.yaml): the call logs
 * API paged by offset in a POST body with 429 and 500 faults, an unmappable record, a record changed after its first
 * load, pixels as GET and POST webhooks, and the report's totalCount as reconciliation's count.
 */
class RingbaTest {
    private static final String LOGS = "/v2/RA1/calllogs";
    private static final Instant FIRST = Instant.parse("2026-11-20T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer ringba;
    private static RunningService service;
    private static Db db;

    @BeforeAll
    static void start() throws Exception {
        ringba = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        ringba.start();
        String never = "0 0 0 1 1 ? 2099";
        Map<String, String> settings = new HashMap<>(Map.of("dce.ringba.base-url", ringba.baseUrl(),
                "dce.ringba.account-id", "RA1", "dce.ringba.api-token", "rtok", "dce.ringba.webhook-token", "pix",
                "dce.ringba.poll-cron", never, "dce.ringba.backfill-from", "2026-11-20T09:00:00Z",
                "dce.admin.token", "adm", "dce.retry.initial-delay-ms", "50", "dce.reconcile-cron", never));
        settings.putAll(Map.of("dce.settle-cron", never, "dce.reconcile-days", "1"));
        service = RunningService.start(settings);
        db = service.db();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        ringba.stop();
    }

    @BeforeEach
    void reset() throws Exception {
        db.clear();
        db.execute("DELETE FROM dce_poll_state");
        ringba.resetAll();
    }

    private static String record(int i, String amount, Object seconds) {
        return "{\"inboundCallId\": \"RGB" + i + "\", \"callDt\": " + FIRST.plusSeconds(i).toEpochMilli()
                + ", \"callCompletedDt\": \"" + FIRST.plusSeconds(i + 60) + "\", \"inboundPhoneNumber\": \"+1303555"
                + String.format("%04d", i) + "\", \"number\": \"+18885550123\", \"campaignId\": \"CA9\","
                + " \"campaignName\": \"Solar\", \"publisherName\": \"Pub R\", \"buyer\": \"Buyer R\","
                + " \"callLengthInSeconds\": " + (seconds instanceof String ? "\"" + seconds + "\"" : seconds)
                + ", \"conversionAmount\": " + amount + ", \"payoutAmount\": 4.25, \"hasConnected\": true,"
                + " \"hasConverted\": true, \"isDuplicate\": false}";
    }

    private static String report(int from, int count, int total, String... extra) {
        StringBuilder records = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            records.append(records.length() == 0 ? "" : ",").append(record(i, "12.5", 30 + i % 200));
        }
        for (String more : extra) {
            records.append(records.length() == 0 ? "" : ",").append(more);
        }
        return "{\"report\": {\"records\": [" + records + "], \"totalCount\": " + total + "}, \"isSuccessful\": true}";
    }

    private static void page(int offset, String body) {
        ringba.stubFor(post(urlPathEqualTo(LOGS)).withHeader("Authorization", equalTo("Token rtok"))
                .withRequestBody(matchingJsonPath("$.offset", equalTo(Integer.toString(offset))))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void pollsTheCallLogsByOffsetThroughFaultsAndDeadLettersWhatCannotBeMapped() throws Exception {
        page(0, report(0, 1000, 1002));
        ringba.stubFor(post(urlPathEqualTo(LOGS)).withRequestBody(matchingJsonPath("$.offset", equalTo("1000")))
                .inScenario("faults").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("busy"));
        ringba.stubFor(post(urlPathEqualTo(LOGS)).withRequestBody(matchingJsonPath("$.offset", equalTo("1000")))
                .inScenario("faults").whenScenarioStateIs("busy").willReturn(aResponse().withStatus(500))
                .willSetStateTo("ok"));
        ringba.stubFor(post(urlPathEqualTo(LOGS)).withRequestBody(matchingJsonPath("$.offset", equalTo("1000")))
                .inScenario("faults").whenScenarioStateIs("ok").willReturn(aResponse().withHeader("Content-Type",
                        "application/json").withBody(report(1000, 1, 1002, record(1001, "3", "forever")))));

        assertThat(service.runNow("ringba", "calls")).isTrue();

        assertThat(db.count("dce_calls")).isEqualTo(1001);
        assertThat(db.row("SELECT external_call_id, caller_phone, tracking_number, campaign_name, publisher_name,"
                + " buyer_name, call_status, call_duration, call_start_time, call_end_time, call_value,"
                + " publisher_payout, is_converted, ingest_channel FROM dce_calls WHERE external_call_id = 'RGB7'"))
                .isEqualTo(Map.ofEntries(Map.entry("external_call_id", "RGB7"),
                        Map.entry("caller_phone", "+13035550007"), Map.entry("tracking_number", "+18885550123"),
                        Map.entry("campaign_name", "Solar"), Map.entry("publisher_name", "Pub R"),
                        Map.entry("buyer_name", "Buyer R"), Map.entry("call_status", "completed"),
                        Map.entry("call_duration", 37),
                        Map.entry("call_start_time", OffsetDateTime.parse("2026-11-20T10:00:07Z")),
                        Map.entry("call_end_time", OffsetDateTime.parse("2026-11-20T10:01:07Z")),
                        Map.entry("call_value", new BigDecimal("12.5000")),
                        Map.entry("publisher_payout", new BigDecimal("4.2500")), Map.entry("is_converted", true),
                        Map.entry("ingest_channel", "poll")));
        assertThat(db.row("SELECT reason_code, error_message FROM dce_dead_letters"))
                .containsEntry("reason_code", "MAPPING_ERROR");
        List<LoggedRequest> requests = ringba.findAll(postRequestedFor(urlPathEqualTo(LOGS)));
        assertThat(requests).hasSize(4);
        JsonNode first = JSON.readTree(requests.get(0).getBodyAsString());
        assertThat(first.path("reportStart").asText()).isEqualTo("2026-11-20T08:00:00Z");
        assertThat(first.path("reportEnd").asText()).isNotEmpty();
        assertThat(first.path("size").asInt()).isEqualTo(1000);
        assertThat(first.path("orderByColumns").get(0).path("column").asText()).isEqualTo("callDt");
        assertThat((OffsetDateTime) db.row("SELECT watermark FROM dce_poll_state WHERE provider = 'ringba'")
                .get("watermark")).as("the latest record read, the dead-lettered one too")
                .isEqualTo(OffsetDateTime.parse("2026-11-20T10:16:41Z"));
    }

    @Test
    void aCallWhoseRevenueChangedAfterItsFirstLoadIsUpdated() throws Exception {
        page(0, report(0, 2, 2));
        service.runNow("ringba", "calls");
        ringba.resetAll();
        page(0, "{\"report\": {\"records\": [" + record(0, "12.5", 30) + "," + record(1, "0", 31) + "],"
                + " \"totalCount\": 2}}");

        service.runNow("ringba", "calls");

        assertThat(db.rows("SELECT external_call_id, call_value FROM dce_calls ORDER BY external_call_id"))
                .containsExactly(Map.of("external_call_id", "RGB0", "call_value", new BigDecimal("12.5000")),
                        Map.of("external_call_id", "RGB1", "call_value", new BigDecimal("0.0000")));
    }

    @Test
    void pixelsArriveAsGetOrPostWithTheirToken() throws Exception {
        assertThat(service.get("/webhooks/ringba?token=pix&inboundCallId=RGB900&callDt=" + FIRST.toEpochMilli()
                + "&inboundPhoneNumber=3035550900&campaignName=Solar&conversionAmount=20.00").statusCode())
                .isEqualTo(202);
        assertThat(service.post("/webhooks/ringba?token=pix", "{\"inboundCallId\": \"RGB900\", \"hasConnected\":"
                + " true, \"callLengthInSeconds\": \"95\"}", "Content-Type", "application/json").statusCode())
                .isEqualTo(202);
        assertThat(service.get("/webhooks/ringba?token=nope&inboundCallId=RGB901").statusCode()).isEqualTo(401);
        assertThat(service.get("/webhooks/ringba?inboundCallId=RGB901").statusCode()).isEqualTo(401);
        await().until(() -> db.count("dce_inbox") == 0 && db.rows("SELECT call_duration FROM dce_calls WHERE"
                + " external_call_id = 'RGB900' AND call_duration IS NOT NULL").size() == 1);
        assertThat(db.count("dce_dead_letters")).isZero();
        assertThat(db.row("SELECT caller_phone, campaign_name, call_value, call_status, call_duration,"
                + " ingest_channel FROM dce_calls")).isEqualTo(Map.of("caller_phone", "+13035550900",
                "campaign_name", "Solar", "call_value", new BigDecimal("20.0000"), "call_status", "completed",
                "call_duration", 95, "ingest_channel", "webhook"));
        assertThat(db.count("dce_calls")).isEqualTo(1);
    }

    @Test
    void theReportsTotalIsTheDaysCountForReconciliation() throws Exception {
        ringba.stubFor(post(urlPathEqualTo(LOGS)).withRequestBody(matchingJsonPath("$.size", equalTo("1")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(report(0, 1, 7))));

        service.bean("reconciliation", Reconciliation.class).run();

        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        assertThat(db.row("SELECT provider_count, stored_count, status FROM dce_reconciliation WHERE provider ="
                + " 'ringba'")).containsEntry("provider_count", 7L).containsEntry("stored_count", 0L)
                .containsEntry("status", "healing");
        JsonNode count = JSON.readTree(ringba.findAll(postRequestedFor(urlPathEqualTo(LOGS))).get(0)
                .getBodyAsString());
        assertThat(count.path("reportStart").asText()).isEqualTo(yesterday + "T00:00:00Z");
        assertThat(count.path("reportEnd").asText()).isEqualTo(yesterday + "T23:59:59Z");
        db.execute("DELETE FROM dce_backfills");
    }
}
