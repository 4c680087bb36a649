package com.dce.etl.cluster;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import com.dce.etl.support.Db;
import com.dce.etl.support.LocalPostgres;
import com.dce.etl.support.ServiceProcess;
import com.dce.etl.support.TestDatabases;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Two instances on one PostgreSQL behind a "load balancer" (the test), one killed mid-run: every acknowledged webhook
 * lands exactly once, and each scheduled poll runs on one instance only, the survivor taking over.
 */
class ScaleOutTest {
    private static final String TOKEN = "cluster-token";
    private static final int WEBHOOKS = 200;

    @Test
    void twoInstancesShareWebhooksAndPollsAndSurviveOneBeingKilled() throws Exception {
        assumeTrue(com.dce.etl.support.TestDatabase.postgres(), "two processes need a database server they share");
        String url = LocalPostgres.shared().newDatabase();
        WireMockServer trackdrive = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        trackdrive.start();
        trackdrive.stubFor(get(urlPathEqualTo("/api/v1/calls")).withQueryParam("cursor", equalTo("-1"))
                .willReturn(aResponse().withBody("{\"calls\": [{\"id\": \"polled-1\", \"status\": \"finished\","
                        + " \"created_at\": \"2026-11-20T10:00:00Z\"}], \"metadata\": {\"next_cursor\": 0}}")));
        Map<String, String> settings = new HashMap<>(Map.of(
                "dce.db.url", url, "dce.db.user", "postgres",
                "dce.scheduler.clustered", "true", "dce.scheduler.checkin-interval-ms", "1000",
                "dce.trackdrive.base-url", trackdrive.baseUrl(), "dce.trackdrive.public-key", "p",
                "dce.trackdrive.private-key", "k", "dce.trackdrive.webhook-token", TOKEN,
                "dce.trackdrive.poll-cron", "0/2 * * * * ?", "dce.inbox.lease-seconds", "3"));
        settings.putAll(Map.of("dce.inbox.sweep-interval-ms", "500", "dce.retry.initial-delay-ms", "100",
                "dce.retry.max-delay-ms", "1000"));

        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicReference<Date> killedAt = new AtomicReference<>();
        try (ServiceProcess a = ServiceProcess.start("a", settings);
                ServiceProcess b = ServiceProcess.start("b", settings)) {
            // a few fires of the 2-second trigger with both instances up, to see that each runs once
            await().atMost(Duration.ofSeconds(30)).until(() -> pollStarts(trackdrive).size() >= 3);
            ExecutorService senders = Executors.newFixedThreadPool(8);
            for (int i = 0; i < WEBHOOKS; i++) {
                String id = "w-" + i;
                ServiceProcess first = i % 2 == 0 ? a : b;
                senders.submit(() -> {
                    // the "load balancer": the instance chosen first, the other one when it does not answer
                    for (ServiceProcess target : List.of(first, first == a ? b : a)) {
                        if (target.postJson("/webhooks/trackdrive?token=" + TOKEN, "{\"id\": \"" + id
                                + "\", \"status\": \"finished\", \"total_duration\": 30}") == 202) {
                            acked.add(id);
                            return;
                        }
                    }
                });
                if (i == WEBHOOKS / 2) {
                    // half-way: a share of the webhooks answered, more on their way to both instances
                    await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= WEBHOOKS / 4);
                    a.kill();
                    killedAt.set(new Date());
                }
            }
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(acked).hasSize(WEBHOOKS);

            try (HikariDataSource dataSource = TestDatabases.migrated(url, "postgres", "")) {
                Db db = new Db(dataSource);
                await().atMost(Duration.ofSeconds(60)).until(() -> db.count("dce_inbox") == 0
                        && db.count("dce_calls") == WEBHOOKS + 1);
                List<Object> ids = db.rows("SELECT external_call_id FROM dce_calls").stream()
                        .map(row -> row.get("external_call_id")).toList();
                assertThat(ids).doesNotHaveDuplicates().containsAll(acked).contains("polled-1");
                assertThat(db.count("dce_dead_letters")).isZero();

                // polls keep coming after the kill, from the survivor
                await().atMost(Duration.ofSeconds(20)).until(() -> pollStarts(trackdrive).stream()
                        .anyMatch(at -> at.after(new Date(killedAt.get().getTime() + 3000))));
            }
            // both instances firing one trigger would show as two runs within milliseconds of each other;
            // distinct fire times of the 2-second cron are about a second apart or more. Only while both are alive:
            // after the kill, the survivor re-runs the dead instance's job and the fire it missed back to back
            List<Long> starts = pollStarts(trackdrive).stream().map(Date::getTime)
                    .filter(at -> at < killedAt.get().getTime()).toList();
            assertThat(starts).as("poll runs while both instances were up").hasSizeGreaterThanOrEqualTo(3);
            for (int i = 1; i < starts.size(); i++) {
                assertThat(starts.get(i) - starts.get(i - 1)).as("two poll runs for one trigger: %s", starts)
                        .isGreaterThan(500);
            }
            assertThat(b.isAlive()).isTrue();
        } finally {
            trackdrive.stop();
        }
    }

    /** When each poll run started: its first page request. */
    private static List<Date> pollStarts(WireMockServer trackdrive) {
        return trackdrive.findAll(getRequestedFor(urlPathEqualTo("/api/v1/calls"))).stream()
                .map(request -> request.getLoggedDate()).sorted().toList();
    }
}
