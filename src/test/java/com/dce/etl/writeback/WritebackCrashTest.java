package com.dce.etl.writeback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.support.Db;
import com.dce.etl.support.ServiceProcess;
import com.dce.etl.support.TestDatabase;
import com.dce.etl.support.TestDatabases;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.zaxxer.hikari.HikariDataSource;

/**
 * kill -9 while an update is on the wire, twice: an additive update ({@code add_revenue}) whose answer was never
 * recorded is not sent again but becomes a dead letter OUTCOME_UNKNOWN; an absolute one ({@code revenue}) is sent
 * again and ends sent, applied to the stored call.
 */
class WritebackCrashTest {
    @TempDir
    Path dir;

    @Test
    void anAdditiveUpdateIsNeverSentTwiceAndAnAbsoluteOneIsSentAgain() throws Exception {
        String url = TestDatabase.freshUrl(dir);
        WireMockServer trackdrive = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        trackdrive.start();
        // answers that take longer than the test waits before the kill
        trackdrive.stubFor(post(urlPathMatching("/api/v1/calls/.*")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(8_000)));
        Map<String, String> settings = new HashMap<>(Map.of("dce.db.url", url, "dce.db.user", TestDatabase.user(),
                "dce.trackdrive.base-url", trackdrive.baseUrl(), "dce.trackdrive.public-key", "pub",
                "dce.trackdrive.private-key", "priv", "dce.trackdrive.poll-cron", "0 0 0 1 1 ? 2099",
                "dce.admin.token", "adm", "dce.trackdrive.webhook-token", "hook", "dce.writeback.poll-ms", "100"));
        settings.putAll(Map.of("dce.writeback.lease-seconds", "2", "dce.http-client.timeout-seconds", "30",
                "dce.retry.initial-delay-ms", "100"));
        try {
            try (ServiceProcess first = ServiceProcess.start("writeback-crash-1", settings)) {
                assertThat(send(first, "/webhooks/trackdrive?token=hook", "{\"id\": 779, \"status\": \"finished\","
                        + " \"buyer_revenue\": \"1.00\"}")).isEqualTo(202);
                assertThat(send(first, "/admin/call-updates", "[{\"provider\":\"trackdrive\",\"call\":\"777\","
                        + "\"add_revenue\":\"2.50\"},{\"provider\":\"trackdrive\",\"call\":\"779\",\"revenue\":"
                        + "\"9.00\"}]")).isEqualTo(202);
                awaitRequests(trackdrive, "777", 1);
                awaitRequests(trackdrive, "779", 1);
                first.kill();
            }
            try (HikariDataSource dataSource = TestDatabases.migrated(url, TestDatabase.user(), "")) {
                assertThat(new Db(dataSource).rows("SELECT call_ref, status FROM dce_call_updates ORDER BY id"))
                        .as("both were on the wire when the process died").containsExactly(
                                Map.of("call_ref", "777", "status", "sending"),
                                Map.of("call_ref", "779", "status", "sending"));
            }
            trackdrive.resetAll();
            trackdrive.stubFor(post(urlPathMatching("/api/v1/calls/.*")).willReturn(aResponse().withStatus(200)));

            try (ServiceProcess second = ServiceProcess.start("writeback-crash-2", settings);
                    HikariDataSource dataSource = TestDatabases.migrated(url, TestDatabase.user(), "")) {
                Db db = new Db(dataSource);
                await().atMost(Duration.ofSeconds(60)).until(() -> db.rows("SELECT status FROM dce_call_updates"
                        + " WHERE status IN ('sent', 'dead')").size() == 2);
                assertThat(db.rows("SELECT call_ref, status FROM dce_call_updates ORDER BY id")).containsExactly(
                        Map.of("call_ref", "777", "status", "dead"), Map.of("call_ref", "779", "status", "sent"));
                trackdrive.verify(0, postRequestedFor(urlPathEqualTo("/api/v1/calls/777")));
                trackdrive.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/calls/779")));
                List<Map<String, Object>> letters = db.rows("SELECT channel, reason_code, payload FROM"
                        + " dce_dead_letters");
                assertThat(letters).hasSize(1);
                assertThat(letters.get(0)).containsEntry("channel", "writeback")
                        .containsEntry("reason_code", "OUTCOME_UNKNOWN");
                assertThat((String) letters.get(0).get("payload")).contains("\"add_revenue\":2.5");
                await().atMost(Duration.ofSeconds(10)).until(() -> "writeback".equals(db.row("SELECT ingest_channel"
                        + " FROM dce_calls WHERE external_call_id = '779'").get("ingest_channel")));
                assertThat(db.row("SELECT call_value FROM dce_calls WHERE external_call_id = '779'")
                        .get("call_value")).isEqualTo(new BigDecimal("9.0000"));
            }
        } finally {
            trackdrive.stop();
        }
    }

    private static void awaitRequests(WireMockServer trackdrive, String call, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> trackdrive.findAll(postRequestedFor(
                urlPathEqualTo("/api/v1/calls/" + call))).size() == count);
    }

    private static int send(ServiceProcess service, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service.uri(path).toString()))
                .header("Authorization", "Bearer adm").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
