package com.dce.etl.writeback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dce.etl.support.Db;
import com.dce.etl.support.RunningService;
import com.dce.etl.support.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * Write-back to a WireMock TrackDrive that checks path, Basic auth and JSON body: one update applied there and to the
 * stored call, 1,000 updates in order per call within the budget, 429 and 500 then success, 404 to a dead letter and
 * its replay, refused input with nothing stored, and the example table feed.
 */
class WritebackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTH = "Basic cHViOnByaXY=";
    private static WireMockServer trackdrive;
    private static RunningService service;
    private static Db db;

    @BeforeAll
    static void start() throws Exception {
        trackdrive = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(20));
        trackdrive.start();
        String never = "0 0 0 1 1 ? 2099";
        Map<String, String> settings = new HashMap<>(Map.of("dce.trackdrive.base-url", trackdrive.baseUrl(),
                "dce.trackdrive.public-key", "pub", "dce.trackdrive.private-key", "priv",
                "dce.trackdrive.webhook-token", "hook", "dce.trackdrive.poll-cron", never, "dce.admin.token", "adm",
                "dce.writeback.poll-ms", "50", "dce.trackdrive.requests-per-second", "2000",
                "dce.retry.initial-delay-ms", "100"));
        settings.putAll(Map.of("dce.retry.max-delay-ms", "400", "dce.writeback.table-feed.enabled", "true",
                "dce.writeback.table-feed.period-ms", "200", "dce.writeback.table-feed.select", "SELECT id, call_id"
                        + " AS call, revenue, converted AS buyer_converted FROM crm_conversions WHERE pushed_at IS"
                        + " NULL ORDER BY id",
                "dce.writeback.table-feed.mark", "UPDATE crm_conversions SET pushed_at = CURRENT_TIMESTAMP WHERE"
                        + " id = ?"));
        service = RunningService.start(settings, context -> {
            try (Connection connection = context.getRegistry().lookupByNameAndType("dataSource",
                    javax.sql.DataSource.class).getConnection(); Statement create = connection.createStatement()) {
                create.execute("CREATE TABLE crm_conversions (id BIGINT PRIMARY KEY, call_id VARCHAR(64), revenue"
                        + " DECIMAL(14,4), converted BOOLEAN, pushed_at TIMESTAMP WITH TIME ZONE)");
            }
        });
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
        db.execute("DELETE FROM dce_call_updates");
        db.execute("DELETE FROM crm_conversions");
        trackdrive.resetAll();
        trackdrive.stubFor(post(urlPathMatching("/api/v1/calls/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"call\":{}}")));
    }

    private static HttpResponse<String> queue(String body) throws Exception {
        return service.post("/admin/call-updates", body, "Authorization", "Bearer adm", "Content-Type",
                "application/json");
    }

    private static void storedCall(String id, String revenue) throws Exception {
        assertThat(service.post("/webhooks/trackdrive?token=hook", "{\"id\": " + id + ", \"uuid\": \"CA-" + id
                + "\", \"status\": \"finished\", \"buyer_revenue\": \"" + revenue + "\", \"token_values\":"
                + " {\"zip\": \"80202\"}}", "Content-Type", "application/json").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> !db.rows("SELECT 1 FROM dce_calls WHERE"
                + " external_call_id = '" + id + "'").isEmpty());
    }

    private static void awaitStatus(String status, int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> db.rows("SELECT id FROM dce_call_updates WHERE status = '"
                + status + "'").size() == count);
    }

    @Test
    void anUpdateReachesTrackDriveAndTheStoredCall() throws Exception {
        storedCall("5001", "10.00");
        HttpResponse<String> queued = queue("{\"provider\":\"trackdrive\",\"call\":\"CA-5001\",\"revenue\":\"30.50\","
                + "\"add_payout\":2.5,\"buyer_converted\":\"yes\",\"post_call_tokens\":{\"sale\":\"gold\"},"
                + "\"call_disposition_id\":4}");
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        assertThat(JSON.readTree(queued.body()).get("ids")).hasSize(1);
        awaitStatus("sent", 1);

        trackdrive.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/calls/CA-5001"))
                .withHeader("Authorization", equalTo(AUTH)).withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"revenue\":30.5,\"add_payout\":2.5,\"buyer_converted\":true,"
                        + "\"post_call_tokens\":{\"sale\":\"gold\"},\"call_disposition_id\":4}")));
        Map<String, Object> row = db.row("SELECT call_value, publisher_payout, is_converted, custom_data,"
                + " ingest_channel FROM dce_calls WHERE external_call_id = '5001'");
        assertThat(row).containsEntry("call_value", new BigDecimal("30.5000"))
                .containsEntry("publisher_payout", new BigDecimal("2.5000")).containsEntry("is_converted", true)
                .containsEntry("ingest_channel", "writeback");
        JsonNode custom = JSON.readTree((String) row.get("custom_data"));
        assertThat(custom.get("post_call_tokens").get("sale").asText()).isEqualTo("gold");
        assertThat(custom.get("call_disposition_id").asInt()).isEqualTo(4);
        assertThat(custom.toString()).contains("80202");
        HttpResponse<String> listed = service.get("/admin/call-updates?status=sent", "Authorization", "Bearer adm");
        assertThat(listed.body()).contains("\"call\":\"CA-5001\"").contains("\"response_status\":200");
        assertThat(service.get("/admin/call-updates?status=odd", "Authorization", "Bearer adm").statusCode())
                .isEqualTo(400);
        assertThat(service.get("/admin/status", "Authorization", "Bearer adm").body())
                .contains("\"call_updates\":{\"pending\":0,\"sending\":0,\"sent\":1,\"dead\":0}");
        assertThat(service.get("/status", "Authorization", "Bearer adm").body())
                .contains("<div class=\"figure\" data-figure=\"writeback-sent\"><b>1</b><span>sent</span></div>");
    }

    @Test
    void aThousandUpdatesGoOutInOrderPerCall() throws Exception {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"provider\":\"trackdrive\",\"call\":\"").append(9000 + i % 100)
                    .append("\",\"add_revenue\":\"1.25\",\"agent_call_disposition_notes\":\"").append(i / 100)
                    .append("\"}");
        }
        long start = System.nanoTime();
        assertThat(queue(batch.append("]").toString()).statusCode()).isEqualTo(202);
        awaitStatus("sent", 1000);
        double seconds = (System.nanoTime() - start) / 1e9;

        List<LoggedRequest> requests = trackdrive.findAll(postRequestedFor(urlPathMatching("/api/v1/calls/.*")));
        assertThat(requests).hasSize(1000);
        Map<String, List<Integer>> sequence = new LinkedHashMap<>();
        for (LoggedRequest request : requests) {
            sequence.computeIfAbsent(request.getUrl(), url -> new ArrayList<>()).add(JSON.readTree(
                    request.getBodyAsString()).get("agent_call_disposition_notes").asInt());
        }
        assertThat(sequence).hasSize(100).allSatisfy((url, order) -> assertThat(order)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        Files.writeString(Path.of("target", "writeback-rate-" + (TestDatabase.postgres() ? "pg" : "h2") + ".txt"),
                String.format("1,000 updates sent in %.1f s = %.0f updates/s (%s)%n", seconds, 1000 / seconds,
                        TestDatabase.postgres() ? "PostgreSQL" : "H2"));
    }

    @Test
    void busyAndFailingAnswersAreSentAgainUntilApplied() throws Exception {
        trackdrive.stubFor(post(urlPathEqualTo("/api/v1/calls/1")).inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(429)
                        .withHeader("Retry-After", "1")).willSetStateTo("ok"));
        trackdrive.stubFor(post(urlPathEqualTo("/api/v1/calls/1")).inScenario("busy").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200)));
        trackdrive.stubFor(post(urlPathEqualTo("/api/v1/calls/2")).inScenario("down")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(500)).willSetStateTo("ok"));
        trackdrive.stubFor(post(urlPathEqualTo("/api/v1/calls/2")).inScenario("down").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200)));
        long start = System.nanoTime();
        assertThat(queue("[{\"provider\":\"trackdrive\",\"call\":1,\"add_revenue\":\"5\"},{\"provider\":"
                + "\"trackdrive\",\"call\":\"2\",\"revenue\":\"7\"}]").statusCode()).isEqualTo(202);
        awaitStatus("sent", 2);

        assertThat((System.nanoTime() - start) / 1e9).as("Retry-After: 1 was waited out").isGreaterThan(0.9);
        trackdrive.verify(2, postRequestedFor(urlPathEqualTo("/api/v1/calls/1")));
        trackdrive.verify(2, postRequestedFor(urlPathEqualTo("/api/v1/calls/2")));
        assertThat(db.rows("SELECT attempts, response_status FROM dce_call_updates ORDER BY id")).containsExactly(
                Map.of("attempts", 2, "response_status", 200), Map.of("attempts", 2, "response_status", 200));
        assertThat(db.count("dce_dead_letters")).isZero();
    }

    @Test
    void aRefusedUpdateIsADeadLetterAndItsReplayGoesOutAgain() throws Exception {
        trackdrive.stubFor(post(urlPathEqualTo("/api/v1/calls/404404")).willReturn(aResponse().withStatus(404)
                .withBody("{\"error\":\"Call not found\",\"echo\":\"priv\"}")));
        assertThat(queue("{\"provider\":\"trackdrive\",\"call\":\"404404\",\"add_revenue\":\"2.50\"}").statusCode())
                .isEqualTo(202);
        awaitStatus("dead", 1);
        Map<String, Object> letter = db.row("SELECT id, channel, route_id, reason_code, error_message, payload FROM"
                + " dce_dead_letters");
        assertThat(letter).containsEntry("channel", "writeback").containsEntry("route_id", "trackdrive-writeback")
                .containsEntry("reason_code", "PROVIDER_REFUSED");
        assertThat((String) letter.get("error_message")).isEqualTo("HTTP 404: {\"error\":\"Call not found\","
                + "\"echo\":\"***\"}");
        assertThat((String) letter.get("payload")).contains("\"call\":\"404404\"").contains("\"add_revenue\":2.5");

        // the call exists at TrackDrive now
        trackdrive.stubFor(post(urlPathEqualTo("/api/v1/calls/404404")).willReturn(aResponse().withStatus(200)));
        HttpResponse<String> replay = service.post("/admin/dead-letters/" + letter.get("id") + "/replay", "",
                "Authorization", "Bearer adm");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        awaitStatus("sent", 1);
        trackdrive.verify(2, postRequestedFor(urlPathEqualTo("/api/v1/calls/404404"))
                .withRequestBody(equalToJson("{\"add_revenue\":2.5}")));
        assertThat(db.row("SELECT status FROM dce_dead_letters").get("status")).isEqualTo("replayed");
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("{\"provider\":\"trackdrive\",\"call\":\"a b\",\"revenue\":\"1\"}", "call");
        refused.put("{\"provider\":\"trackdrive\",\"revenue\":\"1\"}", "call");
        refused.put("{\"provider\":\"trackdrive\",\"call\":\"1\",\"revenue\":\"ten\"}", "revenue");
        refused.put("{\"provider\":\"trackdrive\",\"call\":\"1\",\"add_revenue\":\"1e5\"}", "add_revenue");
        refused.put("{\"provider\":\"trackdrive\",\"call\":\"1\",\"post_call_tokens\":\"x\"}", "post_call_tokens");
        refused.put("{\"provider\":\"trackdrive\",\"call\":\"1\",\"buyer_converted\":\"maybe\"}", "buyer_converted");
        refused.put("{\"provider\":\"trackdrive\",\"call\":\"1\",\"foo\":1}", "foo");
        refused.put("{\"provider\":\"trackdrive\",\"call\":\"1\"}", "call");
        refused.put("{\"provider\":\"retreaver\",\"call\":\"1\",\"revenue\":\"1\"}", "provider");
        refused.put("[{\"provider\":\"trackdrive\",\"call\":\"1\",\"revenue\":\"1\"},{\"provider\":\"trackdrive\","
                + "\"call\":\"2\",\"revenue\":\"x\"}]", "[1].revenue");
        refused.put("[]", "body");
        refused.put("not json", "body");
        for (Map.Entry<String, String> request : refused.entrySet()) {
            HttpResponse<String> answer = queue(request.getKey());
            assertThat(answer.statusCode()).as(request.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).get("field").asText()).as(answer.body())
                    .isEqualTo(request.getValue());
        }
        assertThat(db.count("dce_call_updates")).isZero();
        assertThat(service.post("/admin/call-updates", "{}", "Authorization", "Bearer nope").statusCode())
                .isEqualTo(401);
    }

    @Test
    void theExampleTableFeedQueuesEachRowOnce() throws Exception {
        db.execute("INSERT INTO crm_conversions (id, call_id, revenue, converted) VALUES (1, '7001', 99.5, TRUE),"
                + " (2, 'CA-7002', 12, FALSE), (3, 'bad id!', 1, TRUE)");
        awaitStatus("sent", 2);
        trackdrive.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/calls/7001"))
                .withRequestBody(equalToJson("{\"revenue\":99.5,\"buyer_converted\":true}")));
        trackdrive.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/calls/CA-7002"))
                .withRequestBody(equalToJson("{\"revenue\":12,\"buyer_converted\":false}")));
        assertThat(db.rows("SELECT id FROM crm_conversions WHERE pushed_at IS NULL"))
                .as("the row that is not an update stays unmarked").containsExactly(Map.of("id", 3L));
        assertThat(db.count("dce_call_updates")).isEqualTo(2);
    }
}
