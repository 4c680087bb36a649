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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.support.Db;
import com.dce.etl.support.Fixtures;
import com.dce.etl.support.RunningService;
import com.dce.etl.support.Signatures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * A provider that is a declaration only (src/test/resources/acme: a routes file and a mapping file, no Java): offset
 * paging in a POST body, a header API key, hex HMAC-SHA256 signed webhooks with an envelope of its own. It loads
 * webhooks and polls end to end through the same templates and styles as the shipped providers.
 */
class DeclaredOnlyProviderTest {
    private static final String SECRET = "acme-signing-secret";
    private static final String SEARCH = "/v1/calls/search";

    @TempDir
    static Path mappings;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer acme;
    private static RunningService service;
    private static Db db;

    @BeforeAll
    static void start() throws Exception {
        Fixtures.copyMappings(mappings);
        java.nio.file.Files.writeString(mappings.resolve("acme.yaml"), Fixtures.text("acme/acme.yaml"));
        acme = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        acme.start();
        service = RunningService.start(Map.of(
                "camel.main.routes-include-pattern", "file:routes/*.camel.yaml,classpath:acme/acme.camel.yaml",
                "dce.mappings.dir", mappings.toString(),
                "dce.acme.base-url", acme.baseUrl(),
                "dce.acme.api-key", "acme-key-7",
                "dce.acme.webhook-secret", SECRET,
                "dce.acme.backfill-from", "2026-11-20T10:00:00Z",
                "dce.acme.lookback-minutes", "0",
                "dce.acme.poll-cron", "0 0 0 1 1 ? 2099"));
        db = service.db();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        acme.stop();
    }

    @BeforeEach
    void clean() throws Exception {
        db.clear();
        acme.resetAll();
    }

    private static String call(String ref, String startedAt, String outcome) {
        return "{\"ref\": \"" + ref + "\", \"from_number\": \"3035550100\", \"outcome\": \"" + outcome + "\","
                + " \"seconds\": 61, \"started_at\": \"" + startedAt + "\", \"amount\": \"7.50\"}";
    }

    private static void page(int offset, String records, int total) {
        acme.stubFor(post(urlPathEqualTo(SEARCH)).withHeader("X-Api-Key", equalTo("acme-key-7"))
                .withRequestBody(matchingJsonPath("$.offset", equalTo(Integer.toString(offset))))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"results\": [" + records + "], \"meta\": {\"total\": " + total + "}}")));
    }

    @Test
    void pollsPagesByOffsetInAPostBody() throws Exception {
        page(0, call("a-1", "2026-11-20T10:05:00Z", "done") + "," + call("a-2", "2026-11-20T10:06:00Z", "missed"), 3);
        page(2, call("a-3", "2026-11-20T10:07:00Z", "done"), 3);

        service.runNow("acme", "calls");

        assertThat(db.rows("SELECT external_call_id, caller_phone, call_status, call_duration, call_value"
                + " FROM dce_calls ORDER BY external_call_id")).containsExactly(
                Map.of("external_call_id", "a-1", "caller_phone", "+13035550100", "call_status", "completed",
                        "call_duration", 61, "call_value", new BigDecimal("7.5000")),
                Map.of("external_call_id", "a-2", "caller_phone", "+13035550100", "call_status", "no_answer",
                        "call_duration", 61, "call_value", new BigDecimal("7.5000")),
                Map.of("external_call_id", "a-3", "caller_phone", "+13035550100", "call_status", "completed",
                        "call_duration", 61, "call_value", new BigDecimal("7.5000")));
        List<LoggedRequest> requests = acme.findAll(postRequestedFor(urlPathEqualTo(SEARCH)));
        assertThat(requests).hasSize(2);
        JsonNode first = JSON.readTree(requests.get(0).getBodyAsString());
        assertThat(first.path("filter").path("kind").asText()).as("the declared body is kept").isEqualTo("inbound");
        assertThat(first.path("sort").asText()).isEqualTo("started_at");
        assertThat(first.path("since").asText()).as("the window, in the body").isEqualTo("2026-11-20T10:00:00Z");
        assertThat(first.path("until").asText()).isNotEmpty();
        assertThat(first.path("limit").asInt()).isEqualTo(2);
        assertThat(first.path("offset").asInt()).isZero();
        assertThat(JSON.readTree(requests.get(1).getBodyAsString()).path("offset").asInt()).isEqualTo(2);
        assertThat((OffsetDateTime) db.row("SELECT watermark FROM dce_poll_state WHERE provider = 'acme'")
                .get("watermark")).isEqualTo(OffsetDateTime.parse("2026-11-20T10:07:00Z"));
    }

    @Test
    void takesSignedWebhooksWithItsOwnEnvelopeAndRefusesOthers() throws Exception {
        byte[] body = ("{\"type\": \"call.updated\", \"data_obj\": " + call("a-9", "2026-11-20T11:00:00Z", "live")
                + "}").getBytes(StandardCharsets.UTF_8);
        assertThat(service.postBytes("/webhooks/acme", body, "Content-Type", "application/json", "X-Acme-Signature",
                Signatures.sha256Hex(SECRET, body)).statusCode()).isEqualTo(202);
        assertThat(service.postBytes("/webhooks/acme", body, "Content-Type", "application/json", "X-Acme-Signature",
                Signatures.sha256Hex("another-secret", body)).statusCode()).isEqualTo(401);
        Map<String, Object> row = await().until(() -> db.rows("SELECT * FROM dce_calls"), rows -> rows.size() == 1)
                .get(0);
        assertThat(row).containsEntry("external_call_id", "a-9").containsEntry("call_status", "in_progress")
                .containsEntry("ingest_channel", "webhook");
        assertThat(db.count("dce_inbox")).isZero();
    }
}
