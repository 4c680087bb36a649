package com.dce.etl.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.support.Db;
import com.dce.etl.support.Fixtures;
import com.dce.etl.support.RunningService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The admin API over real HTTP: auth, dead-letter list, replay after a mapping fix, discard, status. */
class AdminApiTest {
    private static final String ADMIN = "admin-secret-9";
    private static final String HOOK = "hook-secret-9";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path mappings;
    private static RunningService service;
    private static Db db;

    @BeforeAll
    static void start() throws Exception {
        Fixtures.copyMappings(mappings);
        service = RunningService.start(Map.of("dce.admin.token", ADMIN, "dce.trackdrive.webhook-token", HOOK,
                "dce.mappings.dir", mappings.toString()));
        db = service.db();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private HttpResponse<String> admin(String method, String path, String token) throws Exception {
        String[] headers = token == null ? new String[0] : new String[] {"Authorization", "Bearer " + token};
        return "GET".equals(method) ? service.get(path, headers) : service.post(path, "", headers);
    }

    @Test
    void wrongOrMissingTokenIs401() throws Exception {
        assertThat(admin("GET", "/admin/dead-letters", null).statusCode()).isEqualTo(401);
        assertThat(admin("GET", "/admin/status", "nope").statusCode()).isEqualTo(401);
        assertThat(admin("POST", "/admin/dead-letters/1/replay", ADMIN + "x").statusCode()).isEqualTo(401);
        HttpResponse<String> basic = service.get("/admin/status", "Authorization", "Basic " + ADMIN);
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(basic.body()).doesNotContain(ADMIN);
    }

    @Test
    void deadLetterIsListedReplayedAfterTheMappingIsFixedAndClosed() throws Exception {
        String payload = "{\"call_id\": 4242, \"status\": \"finished\", \"total_duration\": 61}";
        assertThat(service.post("/webhooks/trackdrive?token=" + HOOK, payload, "Content-Type", "application/json")
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> db.count("dce_dead_letters") == 1);

        JsonNode list = JSON.readTree(admin("GET", "/admin/dead-letters?provider=trackdrive&status=new", ADMIN).body());
        assertThat(list).hasSize(1);
        JsonNode letter = list.get(0);
        assertThat(letter.get("reason_code").asText()).isEqualTo("MISSING_ID");
        assertThat(letter.get("payload").asText()).isEqualTo(payload);
        assertThat(letter.get("status").asText()).isEqualTo("new");
        long id = letter.get("id").asLong();
        assertThat(JSON.readTree(admin("GET", "/admin/dead-letters?provider=callrail", ADMIN).body())).isEmpty();

        HttpResponse<String> stillBroken = admin("POST", "/admin/dead-letters/" + id + "/replay", ADMIN);
        assertThat(stillBroken.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(stillBroken.body()).get("reason_code").asText()).isEqualTo("MISSING_ID");
        assertThat(db.row("SELECT attempts, status FROM dce_dead_letters")).containsEntry("attempts", 2)
                .containsEntry("status", "new");

        Path mapping = mappings.resolve("trackdrive.yaml");
        Files.writeString(mapping, Files.readString(mapping)
                .replace("external_call_id: id",
                        "external_call_id: { from: [id, call_id] }"));
        Files.setLastModifiedTime(mapping, FileTime.fromMillis(System.currentTimeMillis() + 5000));

        HttpResponse<String> replayed = admin("POST", "/admin/dead-letters/" + id + "/replay", ADMIN);
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(replayed.body()).get("external_call_id").asText()).isEqualTo("4242");
        assertThat(db.row("SELECT call_status, call_duration, ingest_channel FROM dce_calls WHERE"
                + " external_call_id = '4242'")).containsEntry("call_status", "completed")
                .containsEntry("call_duration", 61).containsEntry("ingest_channel", "replay");
        assertThat(db.row("SELECT status FROM dce_dead_letters WHERE id = " + id)).containsEntry("status", "replayed");
        assertThat(admin("POST", "/admin/dead-letters/" + id + "/replay", ADMIN).statusCode()).isEqualTo(409);
        assertThat(admin("POST", "/admin/dead-letters/" + id + "/discard", ADMIN).statusCode()).isEqualTo(409);
        assertThat(admin("POST", "/admin/dead-letters/999999/replay", ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void discardClosesADeadLetter() throws Exception {
        service.post("/webhooks/trackdrive?token=" + HOOK, "{\"status\": \"busy\"}", "Content-Type", "application/json");
        long id = await().atMost(Duration.ofSeconds(10)).until(() -> db.rows(
                "SELECT id FROM dce_dead_letters WHERE status = 'new' AND payload LIKE '%busy%'"), r -> r.size() == 1)
                .get(0).get("id") instanceof Number n ? n.longValue() : -1;
        HttpResponse<String> discarded = admin("POST", "/admin/dead-letters/" + id + "/discard", ADMIN);
        assertThat(discarded.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(discarded.body()).get("status").asText()).isEqualTo("discarded");
        assertThat(JSON.readTree(admin("GET", "/admin/dead-letters?status=discarded", ADMIN).body()))
                .extracting(node -> node.get("id").asLong()).contains(id);
    }

    @Test
    void statusListsProvidersWithPollsAndWaitingDeadLetters() throws Exception {
        db.execute("INSERT INTO dce_poll_state (provider, stream, watermark, rows_loaded, last_error)"
                + " VALUES ('retreaver', 'calls-updated', TIMESTAMP WITH TIME ZONE '2026-11-20 15:20:31+00', 12,"
                + " 'HTTP 403 from https://api.retreaver.com/api/v2/calls.json')");
        JsonNode status = JSON.readTree(admin("GET", "/admin/status", ADMIN).body());
        assertThat(status.get("providers")).extracting(node -> node.get("provider").asText())
                .contains("callrail", "retreaver", "trackdrive");
        JsonNode retreaver = null;
        for (JsonNode provider : status.get("providers")) {
            if (provider.get("provider").asText().equals("retreaver")) {
                retreaver = provider;
            }
        }
        assertThat(retreaver.get("polls").get(0).get("stream").asText()).isEqualTo("calls-updated");
        assertThat(retreaver.get("polls").get(0).get("watermark").asText()).isEqualTo("2026-11-20T15:20:31Z");
        assertThat(retreaver.get("polls").get(0).get("rows_loaded").asLong()).isEqualTo(12);
        assertThat(retreaver.get("polls").get(0).get("last_error").asText()).contains("HTTP 403");
        assertThat(retreaver.get("dead_letters_waiting").asLong()).isZero();
    }

    @Test
    void apiIsOffWithoutAToken() throws Exception {
        try (RunningService off = RunningService.start(Map.of())) {
            HttpResponse<String> response = off.get("/admin/status", "Authorization", "Bearer anything");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).contains("dce.admin.token");
        }
    }
}
