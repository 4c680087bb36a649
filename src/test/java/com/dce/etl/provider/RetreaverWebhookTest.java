package com.dce.etl.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dce.etl.support.Db;
import com.dce.etl.support.RunningService;

/** Retreaver's URL-token webhooks: GET with query tokens, POST with JSON, both through retreaver.yaml. */
class RetreaverWebhookTest {
    private static final String TOKEN = "rt-hook-7";
    private static RunningService service;
    private static Db db;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("dce.retreaver.webhook-token", TOKEN));
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

    private Map<String, Object> awaitCall(String uuid) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> db.rows("SELECT * FROM dce_calls WHERE provider = 'retreaver' AND external_call_id = '"
                        + uuid + "'"), rows -> rows.size() == 1).get(0);
    }

    @Test
    void getWithQueryTokensBecomesARow() throws Exception {
        HttpResponse<String> response = service.get("/webhooks/retreaver?token=" + TOKEN
                + "&uuid=rt-9&caller=3015550009&dialed_number=%2B18885550200&status=finished&total_duration=61"
                + "&revenue=5.0&converted=true&campaign_name=Solar%20Leads");
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).startsWith("{\"status\":\"accepted\",\"id\":\"");
        Map<String, Object> row = awaitCall("rt-9");
        assertThat(row).containsEntry("call_uuid", "rt-9")
                .containsEntry("caller_phone", "+13015550009")
                .containsEntry("tracking_number", "+18885550200")
                .containsEntry("call_status", "completed")
                .containsEntry("call_duration", 61)
                .containsEntry("call_value", new BigDecimal("5.0000"))
                .containsEntry("is_converted", true)
                .containsEntry("campaign_name", "Solar Leads")
                .containsEntry("ingest_channel", "webhook");
        assertThat((String) row.get("source_payload")).doesNotContain(TOKEN).contains("\"uuid\":\"rt-9\"");
    }

    @Test
    void postWithJsonBodyBareOrUnderCall() throws Exception {
        assertThat(service.post("/webhooks/retreaver?token=" + TOKEN,
                "{\"uuid\": \"rt-10\", \"caller\": \"+13015550010\", \"status\": \"busy\", \"payout\": null}",
                "Content-Type", "application/json").statusCode()).isEqualTo(202);
        assertThat(service.post("/webhooks/retreaver", "{\"call\": {\"uuid\": \"rt-11\", \"status\": \"no-answer\","
                + " \"tags\": {\"geo\": \"301,us\"}}}", "Authorization", "Token " + TOKEN, "Content-Type",
                "application/json").statusCode()).isEqualTo(202);
        assertThat(awaitCall("rt-10")).containsEntry("call_status", "busy").containsEntry("publisher_payout", null);
        assertThat(awaitCall("rt-11")).containsEntry("call_status", "no_answer")
                .containsEntry("custom_data", "{\"tags\":{\"geo\":[\"301\",\"us\"]}}");
    }

    @Test
    void queryTokensAndJsonBodyAreMergedBodyFirst() throws Exception {
        assertThat(service.post("/webhooks/retreaver?token=" + TOKEN + "&uuid=rt-12&status=in-progress"
                + "&campaign_name=FromUrl", "{\"call\": {\"status\": \"finished\", \"total_duration\": 42}}",
                "Content-Type", "application/json").statusCode()).isEqualTo(202);
        assertThat(awaitCall("rt-12")).containsEntry("call_status", "completed").containsEntry("call_duration", 42)
                .containsEntry("campaign_name", "FromUrl");
    }

    @Test
    void formPostFieldsAreCallFieldsToo() throws Exception {
        assertThat(service.post("/webhooks/retreaver?token=" + TOKEN, "uuid=rt-13&status=finished&caller=3015550013",
                "Content-Type", "application/x-www-form-urlencoded").statusCode()).isEqualTo(202);
        assertThat(awaitCall("rt-13")).containsEntry("caller_phone", "+13015550013");
    }

    @Test
    void wrongTokenIs401AndEmptyRequestIs400() throws Exception {
        assertThat(service.get("/webhooks/retreaver?token=nope&uuid=rt-14").statusCode()).isEqualTo(401);
        assertThat(service.get("/webhooks/retreaver?uuid=rt-14").statusCode()).isEqualTo(401);
        assertThat(service.get("/webhooks/retreaver?token=" + TOKEN).statusCode()).isEqualTo(400);
        // a webhook is stored before its answer, so an answer of 401 or 400 means nothing was or will be stored
        assertThat(db.count("dce_inbox") + db.count("dce_calls")).isZero();
    }

    @Test
    void duplicateDeliveryChangesNothing() throws Exception {
        String url = "/webhooks/retreaver?token=" + TOKEN + "&uuid=rt-15&status=finished&total_duration=9";
        assertThat(service.get(url).statusCode()).isEqualTo(202);
        Map<String, Object> first = awaitCall("rt-15");
        await().until(() -> db.count("dce_inbox") == 0);
        assertThat(service.get(url).statusCode()).isEqualTo(202);
        await().until(() -> db.count("dce_inbox") == 0);
        assertThat(db.row("SELECT * FROM dce_calls")).isEqualTo(first);
    }
}
