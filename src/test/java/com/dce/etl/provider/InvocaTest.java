package com.dce.etl.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
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
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * Invoca, declarations only (routes/invoca.camel.yaml, config/mappings/invoca.yaml): the Transactions API paged by
 * the last transaction_id with 500 and 429 faults, an unmappable transaction, a correction that replaces the call it
 * corrects (one row, also when the original is read again), webhooks, and no count for reconciliation.
 */
class InvocaTest {
    private static final String TRANSACTIONS = "/api/2020-10-01/advertisers/transactions/ADV1.json";
    private static final Instant FIRST = Instant.parse("2026-11-20T10:00:00Z");
    private static WireMockServer invoca;
    private static RunningService service;
    private static Db db;

    @BeforeAll
    static void start() throws Exception {
        invoca = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        invoca.start();
        String never = "0 0 0 1 1 ? 2099";
        Map<String, String> settings = new HashMap<>(Map.of("dce.invoca.base-url", invoca.baseUrl(),
                "dce.invoca.advertiser-id", "ADV1", "dce.invoca.api-token", "itok", "dce.invoca.webhook-token", "iwh",
                "dce.invoca.poll-cron", never, "dce.invoca.backfill-from", "2026-11-20T09:00:00Z",
                "dce.retry.initial-delay-ms", "50", "dce.reconcile-cron", never, "dce.settle-cron", never));
        settings.put("dce.reconcile-days", "2");
        service = RunningService.start(settings);
        db = service.db();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        invoca.stop();
    }

    @BeforeEach
    void reset() throws Exception {
        db.clear();
        db.execute("DELETE FROM dce_poll_state");
        invoca.resetAll();
    }

    private static String transaction(String id, int second, String payin, String extra) {
        return "{\"transaction_id\": \"" + id + "\", \"transaction_type\": \"Call\", \"start_time_utc\": "
                + FIRST.plusSeconds(second).toEpochMilli() + ", \"calling_phone_number\": \"303-555-"
                + String.format("%04d", second % 10_000) + "\", \"destination_phone_number\": \"8885550177\","
                + " \"duration\": 120, \"advertiser_campaign_name\": \"Home Loans\", \"affiliate_name\": \"Aff I\","
                + " \"advertiser_payin_localized\": \"" + payin + "\", \"city\": \"Denver\", \"region\": \"CO\""
                + extra + "}";
    }

    private static String page(int from, int count, String... extra) {
        StringBuilder body = new StringBuilder("[");
        for (int i = from; i < from + count; i++) {
            body.append(body.length() == 1 ? "" : ",").append(transaction("T" + i, i, "5.00", ""));
        }
        for (String more : extra) {
            body.append(body.length() == 1 ? "" : ",").append(more);
        }
        return body.append("]").toString();
    }

    private static MappingBuilder after(String id) {
        return get(urlPathEqualTo(TRANSACTIONS)).withQueryParam("oauth_token", equalTo("itok"))
                .withQueryParam("start_after_transaction_id", id == null ? absent() : equalTo(id));
    }

    private static void serve(String after, String body) {
        invoca.stubFor(after(after).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(body)));
    }

    private static final String CORRECTION = transaction("T2000", 5, "99.00", ", \"corrects_transaction_id\":"
            + " \"T5\", \"corrected_at\": \"2026-11-21T08:00:00Z\"");

    @Test
    void pollsByTransactionIdThroughFaultsAndACorrectionReplacesItsCall() throws Exception {
        serve(null, page(0, 1000));
        invoca.stubFor(after("T999").inScenario("faults").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("busy"));
        invoca.stubFor(after("T999").inScenario("faults").whenScenarioStateIs("busy")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        invoca.stubFor(after("T999").inScenario("faults").whenScenarioStateIs("ok").willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(page(0, 0, CORRECTION,
                        transaction("T2001", 1001, "1.00", ", \"duration\": \"forever\"")))));

        assertThat(service.runNow("invoca", "transactions")).isTrue();

        assertThat(db.count("dce_calls")).as("1,000 calls; the correction is not a call of its own").isEqualTo(1000);
        assertThat(db.row("SELECT external_call_id, caller_phone, destination_number, caller_city, caller_state,"
                + " campaign_name, publisher_name, call_status, call_duration, call_value FROM dce_calls WHERE"
                + " external_call_id = 'T5'")).isEqualTo(Map.of("external_call_id", "T5", "caller_phone",
                "+13035550005", "destination_number", "+18885550177", "caller_city", "Denver", "caller_state", "CO",
                "campaign_name", "Home Loans", "publisher_name", "Aff I", "call_status", "completed",
                "call_duration", 120, "call_value", new BigDecimal("99.0000")));
        assertThat(db.row("SELECT reason_code FROM dce_dead_letters")).containsEntry("reason_code", "MAPPING_ERROR");
        List<LoggedRequest> requests = invoca.findAll(getRequestedFor(urlPathEqualTo(TRANSACTIONS)));
        assertThat(requests).hasSize(4);
        assertThat(requests.get(0).queryParameter("from").firstValue()).isEqualTo("2026-11-20");
        assertThat(requests.get(0).queryParameter("to").firstValue())
                .isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        assertThat(requests.get(0).queryParameter("limit").firstValue()).isEqualTo("1000");

        // the next poll reads the original again: it is older than the correction and changes nothing
        invoca.resetAll();
        serve(null, page(5, 1));
        service.runNow("invoca", "transactions");
        assertThat(db.row("SELECT call_value FROM dce_calls WHERE external_call_id = 'T5'").get("call_value"))
                .isEqualTo(new BigDecimal("99.0000"));
        assertThat(db.count("dce_calls")).isEqualTo(1000);
    }

    @Test
    void aCallUpdatedAfterItsFirstLoadIsUpdated() throws Exception {
        serve(null, page(0, 2));
        service.runNow("invoca", "transactions");
        invoca.resetAll();
        serve(null, "[" + transaction("T0", 0, "5.00", "") + "," + transaction("T1", 1, "42.00", "") + "]");

        service.runNow("invoca", "transactions");

        assertThat(db.rows("SELECT external_call_id, call_value FROM dce_calls ORDER BY external_call_id"))
                .containsExactly(Map.of("external_call_id", "T0", "call_value", new BigDecimal("5.0000")),
                        Map.of("external_call_id", "T1", "call_value", new BigDecimal("42.0000")));
    }

    @Test
    void webhooksCarryFieldsInTheUrlOrAsJsonWithTheirToken() throws Exception {
        assertThat(service.get("/webhooks/invoca?token=iwh&transaction_id=T777&calling_phone_number=3035550777"
                + "&start_time_utc=" + FIRST.toEpochMilli() + "&transaction_type=Call").statusCode()).isEqualTo(202);
        assertThat(service.post("/webhooks/invoca?token=iwh", "{\"transaction_id\": \"T777\", \"duration\": 64,"
                + " \"advertiser_payin_localized\": \"8.50\"}", "Content-Type", "application/json").statusCode())
                .isEqualTo(202);
        assertThat(service.get("/webhooks/invoca?token=bad&transaction_id=T778").statusCode()).isEqualTo(401);
        await().until(() -> db.count("dce_inbox") == 0 && db.count("dce_calls") == 1
                && db.row("SELECT call_duration FROM dce_calls").get("call_duration") != null);
        assertThat(db.row("SELECT external_call_id, caller_phone, call_duration, call_value, call_status FROM"
                + " dce_calls")).isEqualTo(Map.of("external_call_id", "T777", "caller_phone", "+13035550777",
                "call_duration", 64, "call_value", new BigDecimal("8.5000"), "call_status", "completed"));
        assertThat(db.count("dce_dead_letters")).isZero();
    }

    @Test
    void reconciliationSaysUnknownAndAsksNothing() throws Exception {
        service.bean("reconciliation", Reconciliation.class).run();

        assertThat(db.rows("SELECT DISTINCT status FROM dce_reconciliation WHERE provider = 'invoca'"))
                .containsExactly(Map.of("status", "unknown"));
        assertThat(invoca.findAll(getRequestedFor(urlPathEqualTo(TRANSACTIONS)))).isEmpty();
        db.execute("DELETE FROM dce_reconciliation");
    }
}
