package com.dce.etl.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.support.Db;
import com.dce.etl.support.FakeTrackDrive;
import com.dce.etl.support.ServiceProcess;
import com.dce.etl.support.TestDatabase;
import com.dce.etl.support.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;

/**
 * kill -9 in the middle of a backfill, then a restart: the backfill goes on from its last committed page (that page
 * is not read again, none is skipped), and ends with every call of the window stored once.
 */
class BackfillCrashTest {
    private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(20);
    private static final int CALLS = 1_000;

    @TempDir
    Path dir;

    @Test
    void aKilledBackfillResumesAfterItsLastCommittedPage() throws Exception {
        String url = TestDatabase.freshUrl(dir);
        try (FakeTrackDrive trackdrive = new FakeTrackDrive()) {
            for (int i = 0; i < CALLS; i++) {
                trackdrive.call(1 + i, DAY + "T" + String.format("%02d:%02d:00Z", i / 60, i % 60), "3.00");
            }
            trackdrive.pageDelay(400);
            String never = "0 0 0 1 1 ? 2099";
            Map<String, String> settings = new HashMap<>(Map.of("dce.db.url", url, "dce.db.user", TestDatabase.user(),
                    "dce.trackdrive.base-url", trackdrive.baseUrl(), "dce.trackdrive.public-key", "p",
                    "dce.trackdrive.private-key", "k", "dce.trackdrive.poll-cron", never, "dce.admin.token", "adm",
                    "dce.backfill.tick-ms", "200", "dce.backfill.lease-seconds", "2", "dce.reconcile-cron", never));
            settings.put("dce.settle-cron", never);

            String position;
            long pagesBefore;
            try (ServiceProcess first = ServiceProcess.start("backfill-crash-1", settings)) {
                HttpResponse<String> queued = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        first.uri("/admin/backfills")).header("Authorization", "Bearer adm")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"provider\":\"trackdrive\",\"from\":\"" + DAY
                                + "\",\"to\":\"" + DAY.plusDays(1) + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(60)).until(() -> backfill(url).get("pages") instanceof Long pages
                        && pages >= 3);
                first.kill();
            }
            Map<String, Object> killed = backfill(url);
            assertThat(killed.get("status")).isEqualTo("running");
            position = (String) killed.get("position");
            pagesBefore = (Long) killed.get("pages");
            assertThat(Long.parseLong(position)).isEqualTo(pagesBefore * 100);
            List<String> readBefore = List.copyOf(trackdrive.listingCursors());
            trackdrive.forgetRequests();

            try (ServiceProcess second = ServiceProcess.start("backfill-crash-2", settings)) {
                await().atMost(Duration.ofSeconds(90)).until(() -> "done".equals(backfill(url).get("status")));
            }
            List<String> readAfter = trackdrive.listingCursors();
            assertThat(readAfter.get(0)).as("the first page after the restart is the one after the last committed")
                    .isEqualTo(position);
            assertThat(readAfter).doesNotContainAnyElementsOf(readBefore.subList(0, (int) pagesBefore));
            assertThat(readAfter).hasSize(10 - (int) pagesBefore);
            try (HikariDataSource dataSource = TestDatabases.migrated(url, TestDatabase.user(), "")) {
                Db db = new Db(dataSource);
                assertThat(db.row("SELECT COUNT(*) AS n, COUNT(DISTINCT external_call_id) AS ids FROM dce_calls"))
                        .isEqualTo(Map.of("n", (long) CALLS, "ids", (long) CALLS));
                assertThat(db.row("SELECT pages, records_read, rows_written, lease_owner FROM dce_backfills"))
                        .containsEntry("pages", 10L).containsEntry("records_read", (long) CALLS)
                        .containsEntry("rows_written", (long) CALLS);
            }
        }
    }

    private static Map<String, Object> backfill(String url) throws Exception {
        try (HikariDataSource dataSource = TestDatabases.migrated(url, TestDatabase.user(), "")) {
            List<Map<String, Object>> rows = new Db(dataSource).rows("SELECT status, position, pages FROM"
                    + " dce_backfills");
            return rows.isEmpty() ? Map.of() : rows.get(0);
        }
    }
}
