package com.dce.etl.backfill;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dce.etl.reconcile.SettleRuns;
import com.dce.etl.support.Db;
import com.dce.etl.support.FakeTrackDrive;
import com.dce.etl.support.Fixtures;
import com.dce.etl.support.RunningService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * Backfills through the admin API against a stateful TrackDrive, a Retreaver (no totals) and a CallRail (keeps 760
 * days): progress, the database's final rows, the live watermark left alone, cancel, refused requests naming their
 * field, overlapping windows with a live poll, and the daily settle re-read.
 */
class BackfillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "Bearer adm";
    private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(10);
    private static FakeTrackDrive trackdrive;
    private static WireMockServer others;
    private static RunningService service;
    private static Db db;

    @BeforeAll
    static void start() throws Exception {
        trackdrive = new FakeTrackDrive();
        others = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        others.start();
        String never = "0 0 0 1 1 ? 2099";
        Map<String, String> settings = new HashMap<>(Map.of(
                "dce.trackdrive.base-url", trackdrive.baseUrl(), "dce.trackdrive.public-key", "pub",
                "dce.trackdrive.private-key", "priv", "dce.trackdrive.poll-cron", never,
                "dce.trackdrive.backfill-from", DAY + "T00:00:00Z",
                "dce.admin.token", "adm", "dce.reconcile-cron", never, "dce.settle-cron", never,
                "dce.backfill.tick-ms", "200"));
        settings.putAll(Map.of("dce.retreaver.base-url", others.baseUrl(), "dce.retreaver.api-key", "rk",
                "dce.retreaver.company-id", "42", "dce.retreaver.poll-cron", never,
                "dce.callrail.base-url", others.baseUrl(), "dce.callrail.api-key", "ck",
                "dce.callrail.account-id", "A1", "dce.callrail.poll-cron", never,
                "dce.callrail.tracker-sync-at-start", "false", "dce.callrail.tracker-sync-cron", never));
        service = RunningService.start(settings);
        db = service.db();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        trackdrive.close();
        others.stop();
    }

    @BeforeEach
    void reset() throws Exception {
        db.clear();
        db.execute("DELETE FROM dce_backfills");
        trackdrive.pageDelay(0);
        trackdrive.clear();
    }

    /** {@code count} calls on DAY, one a minute from 01:00, ids from {@code first}. */
    private static void calls(long first, int count) {
        for (int i = 0; i < count; i++) {
            trackdrive.call(first + i, DAY + "T" + String.format("%02d:%02d:00Z", 1 + i / 60, i % 60),
                    (10 + i % 7) + ".00");
        }
    }

    private static HttpResponse<String> submit(String body) throws Exception {
        return service.post("/admin/backfills", body, "Authorization", ADMIN, "Content-Type", "application/json");
    }

    private static long queue(String provider, String from, String to) throws Exception {
        HttpResponse<String> answer = submit("{\"provider\":\"" + provider + "\",\"from\":\"" + from + "\",\"to\":\""
                + to + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        JsonNode json = JSON.readTree(answer.body());
        assertThat(json.get("status").asText()).isEqualTo("queued");
        return json.get("id").asLong();
    }

    private static JsonNode backfill(long id) throws Exception {
        HttpResponse<String> answer = service.get("/admin/backfills/" + id, "Authorization", ADMIN);
        assertThat(answer.statusCode()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static JsonNode awaitEnd(long id) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> backfill(id),
                json -> List.of("done", "failed", "cancelled").contains(json.get("status").asText()));
    }

    @Test
    void loadsTheWindowWithProgressAndLeavesTheLiveWatermarkAlone() throws Exception {
        calls(1000, 250);
        trackdrive.call(9999, DAY.plusDays(1) + "T12:00:00Z", "1.00");

        long id = queue("trackdrive", DAY + "T00:00:00Z", DAY + "T23:59:59Z");
        JsonNode done = awaitEnd(id);

        assertThat(done.get("status").asText()).isEqualTo("done");
        assertThat(done.get("provider").asText()).isEqualTo("trackdrive");
        assertThat(done.get("stream").asText()).isEqualTo("calls");
        assertThat(done.get("pages").asLong()).isEqualTo(3);
        assertThat(done.get("records").asLong()).isEqualTo(250);
        assertThat(done.get("rows").asLong()).isEqualTo(250);
        assertThat(done.get("total").asLong()).isEqualTo(250);
        assertThat(done.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(done.get("eta_seconds").asLong()).isZero();
        assertThat(done.get("rows_per_second").asDouble()).isPositive();
        assertThat(done.get("started_at").isNull()).isFalse();
        assertThat(done.get("finished_at").isNull()).isFalse();
        assertThat(done.get("error").isNull()).isTrue();
        assertThat(db.rows("SELECT ingest_channel, COUNT(*) AS n FROM dce_calls GROUP BY ingest_channel"))
                .containsExactly(Map.of("ingest_channel", "backfill", "n", 250L));
        assertThat(db.row("SELECT call_value FROM dce_calls WHERE external_call_id = '1008'").get("call_value"))
                .isEqualTo(new BigDecimal("11.0000"));
        assertThat(db.count("dce_poll_state")).as("the live watermark is not a backfill's").isZero();
        assertThat(trackdrive.listingCursors()).containsExactly("-1", "100", "200");
        assertThat(trackdrive.requests().get(0)).containsEntry("created_at_from", DAY + " 00:00:00 +0000")
                .containsEntry("created_at_to", DAY + " 23:59:59 +0000");
        assertThat(service.get("/admin/backfills", "Authorization", ADMIN).body()).contains("\"id\":" + id);
    }

    @Test
    void aProviderWithoutTotalsHasNoProgressFractionRatherThanAGuess() throws Exception {
        others.stubFor(get(urlPathEqualTo("/api/v2/calls.json")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody(Fixtures.text("retreaver/created-page-1.json"))));

        long id = queue("retreaver", "2026-11-20", "2026-11-21");
        JsonNode done = awaitEnd(id);

        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("done");
        assertThat(done.get("stream").asText()).isEqualTo("calls-created");
        assertThat(done.get("progress").isNull()).isTrue();
        assertThat(done.get("eta_seconds").isNull()).isTrue();
        assertThat(done.get("total").isNull()).isTrue();
        assertThat(done.get("rows").asLong()).isPositive().isEqualTo(db.count("dce_calls"));
    }

    @Test
    void cancelStopsBeforeTheNextPageAndAFinishedBackfillCannotBeCancelled() throws Exception {
        calls(2000, 1200);
        trackdrive.pageDelay(300);
        long id = queue("trackdrive", DAY + "T00:00:00Z", DAY + "T23:59:59Z");
        await().atMost(Duration.ofSeconds(30)).until(() -> backfill(id).get("pages").asLong() >= 1);
        JsonNode running = backfill(id);
        assertThat(running.get("status").asText()).isEqualTo("running");
        assertThat(running.get("progress").asDouble()).isBetween(0.0, 1.0);
        assertThat(running.get("eta_seconds").isNull()).isFalse();

        HttpResponse<String> cancel = service.post("/admin/backfills/" + id + "/cancel", "", "Authorization", ADMIN);
        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancel.body()).get("cancel_requested").asBoolean()).isTrue();
        JsonNode ended = awaitEnd(id);

        assertThat(ended.get("status").asText()).isEqualTo("cancelled");
        assertThat(ended.get("pages").asLong()).isLessThan(12);
        assertThat(db.count("dce_calls")).isEqualTo(ended.get("rows").asLong());
        assertThat(service.post("/admin/backfills/" + id + "/cancel", "", "Authorization", ADMIN).statusCode())
                .isEqualTo(409);
        assertThat(service.post("/admin/backfills/99999/cancel", "", "Authorization", ADMIN).statusCode())
                .isEqualTo(404);
    }

    @Test
    void refusesWhatCannotBeBackfilledNamingTheField() throws Exception {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("{\"provider\":\"nobody\",\"from\":\"2026-01-01\",\"to\":\"2026-02-01\"}", "provider");
        refused.put("{\"from\":\"2026-01-01\",\"to\":\"2026-02-01\"}", "provider");
        refused.put("{\"provider\":\"trackdrive\",\"stream\":\"nope\",\"from\":\"2026-01-01\",\"to\":\"2026-02-01\"}",
                "stream");
        refused.put("{\"provider\":\"retreaver\",\"stream\":\"calls-updated\",\"from\":\"2026-01-01\",\"to\":"
                + "\"2026-02-01\"}", "stream");
        refused.put("{\"provider\":\"trackdrive\",\"from\":\"2026-02-01\",\"to\":\"2026-02-01\"}", "from");
        refused.put("{\"provider\":\"trackdrive\",\"from\":\"yesterday\",\"to\":\"2026-02-01\"}", "from");
        refused.put("{\"provider\":\"trackdrive\",\"from\":\"2026-01-01\"}", "to");
        refused.put("{\"provider\":\"callrail\",\"from\":\"2020-01-01\",\"to\":\"2020-02-01\"}", "from");
        for (Map.Entry<String, String> request : refused.entrySet()) {
            HttpResponse<String> answer = submit(request.getKey());
            assertThat(answer.statusCode()).as(request.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).get("field").asText()).as(answer.body())
                    .isEqualTo(request.getValue());
        }
        assertThat(submit("[1]").statusCode()).isEqualTo(400);
        assertThat(submit("not json").statusCode()).isEqualTo(400);
        assertThat(service.post("/admin/backfills", "{}", "Authorization", "Bearer wrong").statusCode())
                .isEqualTo(401);
        assertThat(JSON.readTree(submit("{\"provider\":\"callrail\",\"from\":\"2020-01-01\",\"to\":\"2020-02-01\"}")
                .body()).get("error").asText()).contains("760 days");
        assertThat(db.count("dce_backfills")).isZero();
    }

    @Test
    void overlappingBackfillsAndTheLivePollLeaveOneRowPerCallWithTheProvidersValues() throws Exception {
        calls(3000, 600);
        long first = queue("trackdrive", DAY + "T00:00:00Z", DAY + "T08:00:00Z");
        long second = queue("trackdrive", DAY + "T03:00:00Z", DAY + "T23:59:59Z");
        CompletableFuture<Boolean> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return service.runNow("trackdrive", "calls");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // a call edited while they run: whichever reads it last stores the provider's newest value
        trackdrive.edit(3100, "buyer_revenue", "99.00");

        assertThat(awaitEnd(first).get("status").asText()).isEqualTo("done");
        assertThat(awaitEnd(second).get("status").asText()).isEqualTo("done");
        assertThat(poll.get()).isTrue();
        service.runNow("trackdrive", "calls");

        assertThat(db.row("SELECT COUNT(*) AS n, COUNT(DISTINCT external_call_id) AS ids FROM dce_calls"))
                .isEqualTo(Map.of("n", 600L, "ids", 600L));
        assertThat(db.row("SELECT call_value FROM dce_calls WHERE external_call_id = '3100'").get("call_value"))
                .isEqualTo(new BigDecimal("99.0000"));
        assertThat((BigDecimal) db.row("SELECT SUM(call_value) AS total FROM dce_calls").get("total"))
                .isEqualByComparingTo(expectedSum(600).add(new BigDecimal("99.00")).subtract(value(100)));
        assertThat(db.count("dce_dead_letters")).isZero();
    }

    @Test
    void settleReReadsRecentDaysWritingOnlyTheRowsThatChanged() throws Exception {
        String recent = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        trackdrive.call(7001, recent + "T09:00:00Z", "10.00");
        trackdrive.call(7002, recent + "T10:00:00Z", "20.00");
        long id = queue("trackdrive", recent + "T00:00:00Z", recent + "T23:59:59Z");
        awaitEnd(id);
        Map<String, Object> untouched = db.row("SELECT * FROM dce_calls WHERE external_call_id = '7002'");
        trackdrive.edit(7001, "buyer_revenue", "45.00");
        trackdrive.edit(7001, "buyer_converted", "true");

        service.bean("settleRuns", SettleRuns.class).run();
        service.bean("settleRuns", SettleRuns.class).run();

        List<Map<String, Object>> settles = db.rows("SELECT id, status FROM dce_backfills WHERE purpose = 'settle'"
                + " AND provider = 'trackdrive'");
        assertThat(settles).as("a settle run is not queued twice").hasSize(1);
        JsonNode settled = awaitEnd((Long) settles.get(0).get("id"));
        assertThat(settled.get("status").asText()).isEqualTo("done");
        assertThat(settled.get("rows").asLong()).as("rows changed").isEqualTo(1);
        assertThat(db.row("SELECT call_value, is_converted, ingest_channel FROM dce_calls WHERE external_call_id"
                + " = '7001'")).isEqualTo(Map.of("call_value", new BigDecimal("45.0000"), "is_converted", true,
                "ingest_channel", "settle"));
        assertThat(db.row("SELECT * FROM dce_calls WHERE external_call_id = '7002'")).isEqualTo(untouched);
    }

    private static BigDecimal value(int index) {
        return new BigDecimal((10 + index % 7) + ".00");
    }

    private static BigDecimal expectedSum(int count) {
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < count; i++) {
            sum = sum.add(value(i));
        }
        return sum;
    }
}
