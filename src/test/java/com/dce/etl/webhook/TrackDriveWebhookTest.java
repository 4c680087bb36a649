package com.dce.etl.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dce.etl.support.Db;
import com.dce.etl.support.Fixtures;
import com.dce.etl.support.RunningService;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Real HTTP requests to the running TrackDrive webhook route, and the rows they end as. */
class TrackDriveWebhookTest {
    private static final String TOKEN = "td-webhook-secret-1";
    private static final String JSON_TYPE = "application/json";
    private static RunningService service;
    private static Db db;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of(
                "dce.trackdrive.webhook-token", TOKEN,
                "dce.webhook.max-body-bytes", "4096"));
        db = service.db();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @BeforeEach
    void clean() throws Exception {
        db.clear();
    }

    private HttpResponse<String> send(String body) throws Exception {
        return service.post("/webhooks/trackdrive", body, "Authorization", "Token " + TOKEN, "Content-Type", JSON_TYPE);
    }

    private Map<String, Object> awaitCall(String id) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> db.rows("SELECT * FROM dce_calls WHERE external_call_id = '" + id + "'"),
                rows -> rows.size() == 1).get(0);
    }

    private void awaitInboxEmpty() {
        await().atMost(Duration.ofSeconds(10)).until(() -> db.count("dce_inbox") == 0);
    }

    @Test
    void acceptedWebhookIsStoredThenLoaded() throws Exception {
        HttpResponse<String> response = send(Fixtures.text("trackdrive/webhook-call-ended.json"));

        assertThat(response.statusCode()).isEqualTo(202);
        var body = new ObjectMapper().readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo("accepted");
        assertThat(body.get("id").asText()).matches("\\d+");
        Map<String, Object> row = awaitCall("8101");
        assertThat(row).containsEntry("provider", "trackdrive")
                .containsEntry("call_uuid", "CA-8101")
                .containsEntry("caller_phone", "+13035558101")
                .containsEntry("tracking_number", "+18885550100")
                .containsEntry("campaign_id", "77")
                .containsEntry("campaign_name", "Auto Insurance")
                .containsEntry("call_status", "completed")
                .containsEntry("provider_status", "finished")
                .containsEntry("call_duration", 270)
                .containsEntry("call_value", new BigDecimal("30.0000"))
                .containsEntry("publisher_payout", new BigDecimal("12.0000"))
                .containsEntry("is_converted", true)
                .containsEntry("recording_url", "https://rec.example/8101.mp3")
                .containsEntry("custom_data", "{\"post_call_tokens\":{\"policy\":\"bound\"}}")
                .containsEntry("ingest_channel", "webhook");
        assertThat(((OffsetDateTime) row.get("call_end_time")).toInstant())
                .isEqualTo(OffsetDateTime.parse("2026-11-21T14:04:30Z").toInstant());
        assertThat(row.get("source_payload")).isEqualTo(Fixtures.text("trackdrive/webhook-call-ended.json"));
        awaitInboxEmpty();
    }

    @Test
    void tokenMayComeInTheQueryString() throws Exception {
        HttpResponse<String> response = service.post("/webhooks/trackdrive?token=" + TOKEN,
                "{\"id\": 42, \"status\": \"finished\"}", "Content-Type", JSON_TYPE);
        assertThat(response.statusCode()).isEqualTo(202);
        awaitCall("42");
    }

    @Test
    void wrongOrMissingTokenIs401AndStoresNothing() throws Exception {
        String body = Fixtures.text("trackdrive/webhook-call-ended.json");
        assertThat(service.post("/webhooks/trackdrive", body, "Authorization", "Token wrong", "Content-Type",
                JSON_TYPE).statusCode()).isEqualTo(401);
        assertThat(service.post("/webhooks/trackdrive?token=" + TOKEN + "x", body, "Content-Type", JSON_TYPE)
                .statusCode()).isEqualTo(401);
        HttpResponse<String> missing = service.post("/webhooks/trackdrive", body, "Content-Type", JSON_TYPE);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).doesNotContain(TOKEN);
        // a webhook is stored before its answer, so an answer of 401 means nothing was or will be stored
        assertThat(db.count("dce_inbox")).isZero();
        assertThat(db.count("dce_calls")).isZero();
    }

    @Test
    void bodiesThatAreNotAJsonObjectAre400() throws Exception {
        assertThat(send("{\"id\": 1, \"status\": ").statusCode()).isEqualTo(400);
        assertThat(send("[{\"id\": 1}]").statusCode()).isEqualTo(400);
        assertThat(send("\"just text\"").statusCode()).isEqualTo(400);
        assertThat(send("").statusCode()).isEqualTo(400);
        HttpResponse<String> badUtf8 = service.postBytes("/webhooks/trackdrive",
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                "Authorization", "Token " + TOKEN, "Content-Type", JSON_TYPE);
        assertThat(badUtf8.statusCode()).isEqualTo(400);
        assertThat(badUtf8.body()).contains("UTF-8");
        assertThat(db.count("dce_inbox")).isZero();
    }

    @Test
    void oversizedBodyIs413AndStoresNothing() throws Exception {
        String big = "{\"id\": 1, \"pad\": \"" + "x".repeat(5000) + "\"}";
        assertThat(send(big).statusCode()).isEqualTo(413);
        assertThat(db.count("dce_inbox")).isZero();
    }

    @Test
    void formPostIs415() throws Exception {
        HttpResponse<String> response = service.post("/webhooks/trackdrive", "{\"id\": 1}", "Authorization",
                "Token " + TOKEN, "Content-Type", "application/x-www-form-urlencoded");
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.contains("{"));
    }

    @Test
    void getIsNotAllowed() throws Exception {
        assertThat(service.get("/webhooks/trackdrive?token=" + TOKEN).statusCode()).isEqualTo(405);
    }

    @Test
    void duplicateDeliveryIsAcceptedAndChangesNothing() throws Exception {
        String body = Fixtures.text("trackdrive/webhook-call-ended.json");
        assertThat(send(body).statusCode()).isEqualTo(202);
        Map<String, Object> first = awaitCall("8101");
        awaitInboxEmpty();
        assertThat(send(body).statusCode()).isEqualTo(202);
        awaitInboxEmpty();
        assertThat(db.count("dce_calls")).isEqualTo(1);
        assertThat(db.row("SELECT * FROM dce_calls")).isEqualTo(first);
    }

    @Test
    void startThenEndAndEndThenStartEndTheSame() throws Exception {
        String started = Fixtures.text("trackdrive/webhook-call-forwarded.json");
        String ended = Fixtures.text("trackdrive/webhook-call-ended.json");
        send(started);
        awaitCall("8101");
        awaitInboxEmpty();
        send(ended);
        awaitInboxEmpty();
        Map<String, Object> inOrder = db.row("SELECT * FROM dce_calls");

        db.clear();
        send(ended);
        awaitCall("8101");
        awaitInboxEmpty();
        send(started);
        awaitInboxEmpty();
        Map<String, Object> reversed = db.row("SELECT * FROM dce_calls");

        for (String column : new String[] {"call_status", "provider_status", "call_duration", "call_end_time",
            "caller_city", "destination_number", "buyer_name", "call_value", "is_converted", "source_payload"}) {
            assertThat(reversed.get(column)).as(column).isEqualTo(inOrder.get(column));
        }
        assertThat(inOrder).containsEntry("call_status", "completed").containsEntry("call_duration", 270)
                .containsEntry("caller_city", "Boulder").containsEntry("buyer_name", "Buyer B");
    }

    @Test
    void uuidOnlyEventJoinsTheCallsRow() throws Exception {
        send("{\"event\": \"call_ringing\", \"data\": {\"uuid\": \"CA-9\", \"status\": \"ringing\","
                + " \"caller_city\": \"Aurora\"}}");
        awaitCall("CA-9");
        awaitInboxEmpty();
        send("{\"call\": {\"id\": 9, \"uuid\": \"CA-9\", \"status\": \"finished\", \"total_duration\": 61}}");
        Map<String, Object> row = awaitCall("9");
        assertThat(db.count("dce_calls")).isEqualTo(1);
        assertThat(row).containsEntry("call_uuid", "CA-9").containsEntry("caller_city", "Aurora")
                .containsEntry("call_status", "completed");
    }

    @Test
    void unmappableCallIsAcceptedThenDeadLettered() throws Exception {
        String body = "{\"call\": {\"caller_number\": \"+13035550000\", \"status\": \"finished\"}}";
        assertThat(send(body).statusCode()).isEqualTo(202);
        Map<String, Object> letter = await().atMost(Duration.ofSeconds(10))
                .until(() -> db.rows("SELECT * FROM dce_dead_letters"), rows -> rows.size() == 1).get(0);
        assertThat(letter).containsEntry("provider", "trackdrive").containsEntry("channel", "webhook")
                .containsEntry("route_id", "trackdrive-webhook").containsEntry("reason_code", "MISSING_ID")
                .containsEntry("payload", body).containsEntry("status", "new").containsEntry("attempts", 1);
        awaitInboxEmpty();
        assertThat(db.count("dce_calls")).isZero();
    }

    @Test
    void storageDownIs503AndNothingIsLost() throws Exception {
        db.execute("ALTER TABLE dce_inbox RENAME TO dce_inbox_away");
        try {
            HttpResponse<String> response = send("{\"id\": 77, \"status\": \"finished\"}");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
        } finally {
            db.execute("ALTER TABLE dce_inbox_away RENAME TO dce_inbox");
        }
        assertThat(db.count("dce_inbox")).isZero();
        assertThat(db.count("dce_calls")).isZero();
    }
}
