package com.dce.etl.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dce.etl.support.Db;
import com.dce.etl.support.Fixtures;
import com.dce.etl.support.RunningService;
import com.dce.etl.support.Signatures;

/** CallRail's signed webhooks against the running service: verified before anything is stored. */
class CallRailWebhookTest {
    private static final String KEY = "072e77e426f92738a72fe23c4d1953b4";
    private static RunningService service;
    private static Db db;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("dce.callrail.webhook-signing-key", KEY));
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

    private static String sign(byte[] body) {
        return Signatures.callrail(KEY, body);
    }

    private HttpResponse<String> post(byte[] body, String signature) throws Exception {
        return service.postBytes("/webhooks/callrail", body, "Content-Type", "application/json", "Signature",
                signature);
    }

    private HttpResponse<String> postSigned(String fixture) throws Exception {
        byte[] body = Fixtures.bytes("callrail/" + fixture);
        return post(body, sign(body));
    }

    private Map<String, Object> awaitCall(String id, String status) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> db.rows(
                "SELECT * FROM dce_calls WHERE provider = 'callrail' AND external_call_id = '" + id + "'"),
                rows -> rows.size() == 1 && status.equals(rows.get(0).get("call_status"))).get(0);
    }

    @Test
    void documentedSignedPostCallIsAccepted() throws Exception {
        byte[] body = Fixtures.bytes("callrail/webhook-post-call.body");
        HttpResponse<String> response = post(body, "UZAHbUdfm3GqL7qzilGozGzWV64=");
        assertThat(response.statusCode()).isEqualTo(202);
        Map<String, Object> row = awaitCall("766970532", "voicemail");
        assertThat(row).containsEntry("caller_phone", "+12148654559").containsEntry("call_duration", 13)
                .containsEntry("publisher_name", "Google AdWords").containsEntry("campaign_id", "354024023")
                .containsEntry("source_payload", new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void tamperedBodyWrongKeyOrNoSignatureIs401AndStoresNothing() throws Exception {
        byte[] body = Fixtures.bytes("callrail/webhook-post-call.body");
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"duration\":\"13\"", "\"duration\":\"99\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(post(tampered, sign(body)).statusCode()).isEqualTo(401);
        String wrongKey = Signatures.callrail("other-key", body);
        assertThat(post(body, wrongKey).statusCode()).isEqualTo(401);
        assertThat(service.postBytes("/webhooks/callrail", body, "Content-Type", "application/json").statusCode())
                .isEqualTo(401);
        assertThat(post("{not json".getBytes(StandardCharsets.UTF_8), "garbage==").statusCode()).isEqualTo(401);
        // a webhook is stored before its answer, so an answer of 401 means nothing was or will be stored
        assertThat(db.count("dce_inbox")).isZero();
        assertThat(db.count("dce_calls")).isZero();
    }

    @Test
    void signedButMalformedBodyIs400() throws Exception {
        byte[] body = "{\"id\": 1, ".getBytes(StandardCharsets.UTF_8);
        assertThat(post(body, sign(body)).statusCode()).isEqualTo(400);
    }

    @Test
    void preCallPostCallAndCallModifiedShareOneRow() throws Exception {
        assertThat(postSigned("webhook-pre-call.json").statusCode()).isEqualTo(202);
        awaitCall("CAL766970532aaaa", "in_progress");
        assertThat(postSigned("webhook-post-call-with-resource-id.json").statusCode()).isEqualTo(202);
        awaitCall("CAL766970532aaaa", "completed");
        assertThat(postSigned("webhook-call-modified.json").statusCode()).isEqualTo(202);
        Map<String, Object> row = await().atMost(Duration.ofSeconds(10)).until(
                () -> db.row("SELECT * FROM dce_calls"), r -> r.get("call_value") != null);
        assertThat(db.count("dce_calls")).isEqualTo(1);
        assertThat(row).containsEntry("call_status", "completed").containsEntry("call_duration", 95)
                .containsEntry("call_value", new BigDecimal("150.0000"))
                .containsEntry("destination_number", "+14045550000")
                .containsEntry("recording_url",
                        "https://app.callrail.com/calls/766970532/recording/redirect?access_key=aaaaccccddddeeee");
        assertThat((String) row.get("custom_data")).contains("\"tags\":[\"Sale\",\"Returning\"]");
    }

    @Test
    void aPostCallWebhookArrivingAfterACallModifiedOneDoesNotUndoTheEdit() throws Exception {
        postSigned("webhook-call-modified.json");
        awaitCall("CAL766970532aaaa", "completed");
        await().until(() -> db.count("dce_inbox") == 0);
        // CallRail sends post-call up to 20 minutes after hang-up: here after the call was tagged and valued
        postSigned("webhook-post-call-with-resource-id.json");
        await().until(() -> db.count("dce_inbox") == 0);
        Map<String, Object> row = db.row("SELECT * FROM dce_calls");
        assertThat((String) row.get("custom_data")).as("the edit's tags and lead status stay")
                .contains("\"tags\":[\"Sale\",\"Returning\"]").contains("\"lead_status\":\"good_lead\"");
        assertThat(row).containsEntry("call_value", new BigDecimal("150.0000"))
                .containsEntry("destination_number", "+14045550000")
                .as("the post-call webhook still fills what the edit did not carry");
    }

    @Test
    void postCallBeforePreCallEndsTheSame() throws Exception {
        postSigned("webhook-post-call-with-resource-id.json");
        awaitCall("CAL766970532aaaa", "completed");
        await().until(() -> db.count("dce_inbox") == 0);
        postSigned("webhook-pre-call.json");
        await().until(() -> db.count("dce_inbox") == 0);
        assertThat(db.row("SELECT call_status, call_duration FROM dce_calls"))
                .containsEntry("call_status", "completed").containsEntry("call_duration", 95);
    }
}
