package com.dce.etl.backfill;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.dce.etl.support.CommandRun;
import com.dce.etl.support.FakeTrackDrive;
import com.dce.etl.support.RunningService;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/** {@code dce-etl backfill} against a running service: the progress it prints, its exit codes, its refusals. */
class BackfillCommandTest {
    private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(30);
    private static final Map<String, String> TOKEN = Map.of("DCE_ADMIN_TOKEN", "adm");
    private static FakeTrackDrive trackdrive;
    private static WireMockServer callrail;
    private static RunningService service;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        trackdrive = new FakeTrackDrive();
        for (int i = 0; i < 3_000; i++) {
            trackdrive.call(1 + i, DAY + "T" + String.format("%02d:%02d:%02d", i / 180, i / 3 % 60, i % 3) + "Z",
                    "2.00");
        }
        trackdrive.pageDelay(150);
        callrail = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        callrail.start();
        callrail.stubFor(get(urlPathEqualTo("/v3/a/A1/calls.json")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"HTTP Token: Access denied.\"}")));
        String never = "0 0 0 1 1 ? 2099";
        Map<String, String> settings = new HashMap<>(Map.of(
                "dce.trackdrive.base-url", trackdrive.baseUrl(), "dce.trackdrive.public-key", "p",
                "dce.trackdrive.private-key", "k", "dce.trackdrive.poll-cron", never, "dce.admin.token", "adm",
                "dce.backfill.tick-ms", "200", "dce.reconcile-cron", never, "dce.settle-cron", never));
        settings.putAll(Map.of("dce.callrail.base-url", callrail.baseUrl(), "dce.callrail.api-key", "wrong",
                "dce.callrail.account-id", "A1", "dce.callrail.poll-cron", never,
                "dce.callrail.tracker-sync-at-start", "false", "dce.callrail.tracker-sync-cron", never));
        service = RunningService.start(settings);
        url = "http://127.0.0.1:" + service.port();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        trackdrive.close();
        callrail.stop();
    }

    @Test
    void drawsProgressUntilDoneAndExitsZero() throws Exception {
        CommandRun run = CommandRun.of(TOKEN, "backfill", "--provider", "trackdrive", "--from", DAY.toString(),
                "--to", DAY.plusDays(1).toString(), "--url", url, "--poll-ms", "200");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        String id = lines.get(0).split(" ")[1];
        assertThat(lines.get(0)).isEqualTo("Backfill " + id + " of trackdrive calls " + DAY + "T00:00:00Z .. "
                + DAY.plusDays(1) + "T00:00:00Z queued at " + url);
        List<String> progress = lines.stream().filter(line -> line.startsWith("backfill " + id + " ")).toList();
        assertThat(progress).as(run.out()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(progress.get(progress.size() - 1)).contains("100%").contains("3000/3000").contains("records")
                .contains("30 pages, 3000 rows written");
        assertThat(progress).anySatisfy(line -> assertThat(line).containsPattern(" [1-9]?[0-9]% ").contains("/3000"));
        assertThat(lines.get(lines.size() - 1)).startsWith("Backfill " + id + " done: 30 pages, 3000 records read,"
                + " 3000 rows written, 0 dead letters, ");
        assertThat(run.err()).isEmpty();
        assertThat(service.db().count("dce_calls")).isEqualTo(3000);
    }

    @Test
    void aFailedBackfillExitsOneWithTheProvidersAnswer() throws Exception {
        CommandRun run = CommandRun.of(TOKEN, "backfill", "--provider", "callrail", "--from", DAY.toString(),
                "--to", DAY.plusDays(1).toString(), "--url", url, "--poll-ms", "200");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).containsPattern("Backfill \\d+ failed: 0 pages").contains("401");
    }

    @Test
    void refusedRequestsAndMistakesExitTwoInOneLine() throws Exception {
        CommandRun backwards = CommandRun.of(TOKEN, "backfill", "--provider", "trackdrive", "--from", "2026-02-01",
                "--to", "2026-01-01", "--url", url);
        assertThat(backwards.exitCode()).isEqualTo(2);
        assertThat(backwards.err()).isEqualTo("dce-etl backfill: refused by " + url + ": from: must be before to"
                + " (2026-01-01)\n");

        CommandRun noToken = CommandRun.of(Map.of(), "backfill", "--provider", "trackdrive", "--from", "2026-01-01",
                "--to", "2026-01-02", "--url", url);
        assertThat(noToken.exitCode()).isEqualTo(2);
        assertThat(noToken.err().lines()).hasSize(1).first().asString().contains("DCE_ADMIN_TOKEN");

        CommandRun wrongToken = CommandRun.of(Map.of("DCE_ADMIN_TOKEN", "nope"), "backfill", "--provider",
                "trackdrive", "--from", "2026-01-01", "--to", "2026-01-02", "--url", url);
        assertThat(wrongToken.exitCode()).isEqualTo(2);

        CommandRun nobody = CommandRun.of(TOKEN, "backfill", "--provider", "trackdrive", "--from", "2026-01-01",
                "--to", "2026-01-02", "--url", "http://127.0.0.1:" + RunningService.freePort());
        assertThat(nobody.exitCode()).isEqualTo(1);
        assertThat(nobody.err()).contains("no service answers at");

        CommandRun missing = CommandRun.of(TOKEN, "backfill", "--provider", "trackdrive");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required options: '--from=<from>', '--to=<to>'");
        assertThat(service.db().count("dce_backfills")).isLessThanOrEqualTo(2);
    }

    @Test
    void helpListsTheCommands() throws Exception {
        CommandRun help = CommandRun.of(Map.of(), "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: dce-etl").contains("backfill");
        CommandRun backfillHelp = CommandRun.of(Map.of(), "backfill", "--help");
        assertThat(backfillHelp.exitCode()).isZero();
        assertThat(backfillHelp.out()).contains("--provider").contains("DCE_ADMIN_TOKEN").doesNotContain("poll-ms");
    }
}
