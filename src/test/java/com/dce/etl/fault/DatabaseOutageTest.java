package com.dce.etl.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.dce.etl.support.Db;
import com.dce.etl.support.LocalPostgres;
import com.dce.etl.support.RunningService;
import com.dce.etl.support.TestDatabase;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * The database server stops in the middle of a webhook stream and a poll schedule, then comes back: webhooks are
 * answered 503 (never 202) while it is away, health is DOWN, and everything acknowledged loads by itself afterwards.
 */
class DatabaseOutageTest {
    private static final String TOKEN = "outage-token";

    private record Delivery(String key, long startedNanos, long finishedNanos, int status) {
    }

    /** Deliveries answered {@code status} that were sent after {@code sentAfterNanos}. */
    private static long count(ConcurrentLinkedQueue<Delivery> deliveries, int status, long sentAfterNanos) {
        return deliveries.stream().filter(d -> d.status() == status && d.startedNanos() > sentAfterNanos).count();
    }

    @Test
    void webhooksAnswer503WhileTheDatabaseIsDownAndLoadingResumesByItself() throws Exception {
        assumeTrue(TestDatabase.postgres(), "needs a database server that can be stopped and started");
        LocalPostgres postgres = LocalPostgres.shared();
        WireMockServer trackdrive = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        trackdrive.start();
        trackdrive.stubFor(get(urlPathEqualTo("/api/v1/calls")).willReturn(aResponse().withBody(
                "{\"calls\": [{\"id\": \"polled\", \"status\": \"finished\", \"created_at\": \"2026-11-20T15:10:00Z\"}],"
                        + " \"metadata\": {\"next_cursor\": 0}}")));
        ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
        try (RunningService service = RunningService.start(Map.of("dce.trackdrive.webhook-token", TOKEN,
                "dce.db.connection-timeout-ms", "1000", "dce.inbox.sweep-interval-ms", "500", "dce.inbox.lease-seconds", "3",
                "dce.trackdrive.base-url", trackdrive.baseUrl(), "dce.trackdrive.public-key", "p",
                "dce.trackdrive.private-key", "k", "dce.trackdrive.backfill-from", "2026-11-20T15:00:00Z",
                "dce.trackdrive.poll-cron", "0/1 * * * * ?"))) {
            Db db = service.db();
            AtomicBoolean streaming = new AtomicBoolean(true);
            AtomicInteger next = new AtomicInteger();
            ExecutorService senders = Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                senders.submit(() -> {
                    while (streaming.get()) {
                        String key = "o-" + next.incrementAndGet();
                        long started = System.nanoTime();
                        int status;
                        try {
                            HttpResponse<String> response = service.post("/webhooks/trackdrive?token=" + TOKEN,
                                    "{\"id\": \"" + key + "\", \"status\": \"finished\"}",
                                    "Content-Type", "application/json");
                            status = response.statusCode();
                        } catch (Exception e) {
                            status = -1;
                        }
                        deliveries.add(new Delivery(key, started, System.nanoTime(), status));
                    }
                    return null;
                });
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> count(deliveries, 202, Long.MIN_VALUE) >= 20);
            postgres.stop();
            long downFrom = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> service.get("/observe/health?exposureLevel=full")
                    .statusCode() == 503);
            var health = service.get("/observe/health?exposureLevel=full");
            assertThat(health.body()).contains("database");
            // enough requests sent and answered entirely within the outage
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.stream()
                    .filter(d -> d.startedNanos() > downFrom && d.status() != -1).count() >= 20);
            long upFrom = System.nanoTime();
            postgres.start();
            OffsetDateTime restored = OffsetDateTime.now();
            await().atMost(Duration.ofSeconds(60)).until(() -> count(deliveries, 202, upFrom) >= 5);
            streaming.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            List<Delivery> all = List.copyOf(deliveries);
            assertThat(all).extracting(Delivery::status).containsOnly(202, 503);
            // sent after the server stopped and answered before it started again: nothing could be stored
            List<Delivery> whileDown = all.stream().filter(d -> d.startedNanos() > downFrom
                    && d.finishedNanos() < upFrom).toList();
            assertThat(whileDown).as("requests sent while the database was away").isNotEmpty()
                    .allMatch(d -> d.status() == 503);
            List<String> acked = all.stream().filter(d -> d.status() == 202).map(Delivery::key).toList();
            assertThat(acked.size()).isGreaterThan(10);

            // the pool backs off between reconnect attempts, so the first queries after the restart may still time out
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> db.count("dce_inbox") == 0);
            List<Object> rows = db.rows("SELECT external_call_id FROM dce_calls WHERE external_call_id LIKE 'o-%'")
                    .stream().map(row -> row.get("external_call_id")).toList();
            // every 202 is one row; a 503 promises nothing either way: a request whose commit the stopping server
            // made but never confirmed, or one still queued for the inbox writer when its sender's wait ran out, is
            // stored all the same (its sender sends it again, and the upsert keeps one row)
            assertThat(rows).doesNotHaveDuplicates().containsAll(acked).as("stored without a 202 or a 503")
                    .allMatch(row -> acked.contains(row) || all.stream().anyMatch(d -> d.key().equals(row)
                            && d.status() == 503));
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                Object last = db.row("SELECT last_success_at FROM dce_poll_state").get("last_success_at");
                return last != null && ((OffsetDateTime) last).isAfter(restored);
            });
            assertThat(db.rows("SELECT 1 FROM dce_calls WHERE external_call_id = 'polled'")).hasSize(1);
            assertThat(service.get("/observe/health").statusCode()).isEqualTo(200);
        } finally {
            trackdrive.stop();
        }
    }
}
