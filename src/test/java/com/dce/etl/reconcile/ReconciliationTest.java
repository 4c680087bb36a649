package com.dce.etl.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.dce.etl.support.Db;
import com.dce.etl.support.FakeTrackDrive;
import com.dce.etl.support.RunningService;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * Reconciliation end to end against a TrackDrive that misbehaves as real providers do: its cursor skips a call sharing
 * the boundary second on the first poll, a call's webhook never arrives, a call is edited after the lookback has
 * passed, and a call stored from a webhook is gone from the provider. Each day's gap is found, healed once by a
 * backfill, and checked again; the day the provider counts fewer calls for is reported, nothing deleted. Retreaver,
 * which gives no count, is {@code unknown}.
 */
class ReconciliationTest {
    private static final String ADMIN = "Bearer adm";
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static FakeTrackDrive trackdrive;
    private static WireMockServer retreaver;
    private static RunningService service;
    private static Db db;

    @BeforeAll
    static void start() throws Exception {
        trackdrive = new FakeTrackDrive();
        retreaver = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        retreaver.start();
        String never = "0 0 0 1 1 ? 2099";
        Map<String, String> settings = new HashMap<>(Map.of(
                "dce.trackdrive.base-url", trackdrive.baseUrl(), "dce.trackdrive.public-key", "pub",
                "dce.trackdrive.private-key", "priv", "dce.trackdrive.webhook-token", "hook",
                "dce.trackdrive.backfill-from", day(3) + "T00:00:00Z", "dce.trackdrive.poll-cron", never,
                "dce.admin.token", "adm", "dce.reconcile-days", "3", "dce.reconcile-cron", never,
                "dce.settle-cron", never));
        settings.putAll(Map.of("dce.retreaver.base-url", retreaver.baseUrl(), "dce.retreaver.api-key", "k",
                "dce.retreaver.company-id", "1", "dce.retreaver.poll-cron", never, "dce.backfill.tick-ms", "200"));
        service = RunningService.start(settings);
        db = service.db();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        trackdrive.close();
        retreaver.stop();
    }

    private static LocalDate day(int back) {
        return TODAY.minusDays(back);
    }

    private static String at(int back, String time) {
        return day(back) + "T" + time + "Z";
    }

    @Test
    void findsEachDaysGapHealsItOnceAndReportsExtraCallsWithoutDeleting() throws Exception {
        // three days ago: one call at the provider, and one stored from a webhook that the provider no longer has
        trackdrive.call(31, at(3, "09:00:00"), "5.00");
        // two days ago: 22 and 23 share a second; the first poll's cursor skips 23
        trackdrive.call(21, at(2, "10:00:00"), "10.00");
        trackdrive.call(22, at(2, "12:00:00"), "11.00");
        trackdrive.call(23, at(2, "12:00:00"), "12.00");
        trackdrive.call(24, at(2, "14:00:00"), "13.00");
        // yesterday: all there, and one call the mapping refuses (a dead letter accounts for it)
        trackdrive.call(11, at(1, "08:00:00"), "20.00");
        trackdrive.call(12, at(1, "20:00:00"), "21.00");
        trackdrive.call(13, at(1, "21:00:00"), "22.00");
        trackdrive.edit(13, "total_duration", "forever");
        trackdrive.hide(23);
        assertThat(service.runNow("trackdrive", "calls")).isTrue();
        trackdrive.showAll();
        assertThat(service.post("/webhooks/trackdrive", "{\"id\":39,\"uuid\":\"CA-39\",\"created_at\":\""
                + at(3, "18:00:00") + "\",\"status\":\"finished\",\"total_duration\":30}",
                "Authorization", "Token hook", "Content-Type", "application/json").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> db.count("dce_calls") == 7);
        // after the poll (and past its lookback): a call whose webhook never came, and an edit of a stored call
        trackdrive.call(25, at(2, "16:00:00"), "14.00");
        trackdrive.edit(21, "buyer_revenue", "35.00");

        service.bean("reconciliation", Reconciliation.class).run();

        assertThat(days()).containsExactly(
                Map.of("day", day(1).toString(), "provider_count", 3L, "stored_count", 2L, "dead_letter_count", 1L,
                        "status", "match"),
                Map.of("day", day(2).toString(), "provider_count", 5L, "stored_count", 3L, "dead_letter_count", 0L,
                        "status", "healing"),
                Map.of("day", day(3).toString(), "provider_count", 1L, "stored_count", 2L, "dead_letter_count", 0L,
                        "status", "extra"));
        assertThat(metric()).isEqualTo("2.0");

        await().atMost(Duration.ofSeconds(30)).until(() -> "match".equals(db.row(
                "SELECT status FROM dce_reconciliation WHERE provider = 'trackdrive' AND \"day\" = DATE '" + day(2)
                        + "'").get("status")));
        assertThat(db.rows("SELECT external_call_id, call_value, ingest_channel FROM dce_calls WHERE"
                + " external_call_id IN ('21', '23', '25') ORDER BY external_call_id")).containsExactly(
                Map.of("external_call_id", "21", "call_value", new BigDecimal("35.0000"), "ingest_channel", "backfill"),
                Map.of("external_call_id", "23", "call_value", new BigDecimal("12.0000"), "ingest_channel", "backfill"),
                Map.of("external_call_id", "25", "call_value", new BigDecimal("14.0000"),
                        "ingest_channel", "backfill"));
        Map<String, Object> healed = db.row("SELECT * FROM dce_reconciliation WHERE provider = 'trackdrive'"
                + " AND \"day\" = DATE '" + day(2) + "'");
        assertThat(healed.get("stored_count")).isEqualTo(5L);
        assertThat(healed.get("healed_at")).isNotNull();
        assertThat(db.row("SELECT purpose, status, from_time, to_time FROM dce_backfills WHERE id = "
                + healed.get("backfill_id"))).containsEntry("purpose", "heal").containsEntry("status", "done");
        assertThat(db.count("dce_calls")).as("the extra call is kept").isEqualTo(9);

        service.bean("reconciliation", Reconciliation.class).run();
        assertThat(metric()).isEqualTo("0.0");
        assertThat(db.count("dce_backfills")).as("each day is healed once").isEqualTo(1);
        HttpResponse<String> listed = service.get("/admin/reconciliation?days=3", "Authorization", ADMIN);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"status\":\"extra\"").contains("\"missing_calls\":0")
                .contains("\"provider\":\"retreaver\",\"stream\":\"calls-created\",\"day\":\"" + day(1)
                        + "\",\"provider_count\":null");
        assertThat(db.rows("SELECT DISTINCT status FROM dce_reconciliation WHERE provider = 'retreaver'"))
                .as("Retreaver gives no count: not a guess").containsExactly(Map.of("status", "unknown"));
        retreaver.verify(0, getRequestedFor(urlPathEqualTo("/api/v2/calls.json")));
        assertThat(service.get("/admin/reconciliation?days=x", "Authorization", ADMIN).statusCode()).isEqualTo(400);
        assertThat(service.get("/admin/reconciliation").statusCode()).isEqualTo(401);
    }

    private static List<Map<String, Object>> days() throws Exception {
        return db.rows("SELECT CAST(\"day\" AS VARCHAR(10)) AS \"day\", provider_count, stored_count,"
                + " dead_letter_count, status FROM dce_reconciliation WHERE provider = 'trackdrive' ORDER BY \"day\""
                + " DESC");
    }

    private static String metric() throws Exception {
        String metrics = service.get("/observe/metrics").body();
        return metrics.lines().filter(line -> line.startsWith("dce_reconciliation_missing_calls{")
                && line.contains("provider=\"trackdrive\"")).map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .findFirst().orElse("absent");
    }
}
