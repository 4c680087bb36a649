package com.dce.etl.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.support.RunningService;
import com.dce.etl.support.ServiceProcess;
import com.dce.etl.support.TestDatabase;

/**
 * Webhooks sent without pause while the service starts and while it stops: each is answered 202 or 503 (with
 * Retry-After, so the provider sends it again), or not taken at all; never 404, which a provider treats as final.
 */
class StartStopWindowTest {
    private static final String TOKEN = "window-token";

    @TempDir
    Path dir;

    @Test
    void webhooksAreNeverAnswered404WhileTheServiceStartsOrStops() throws Exception {
        int port = RunningService.freePort();
        Map<String, String> settings = Map.of("dce.http.port", Integer.toString(port),
                "dce.db.url", TestDatabase.freshUrl(dir), "dce.db.user", TestDatabase.user(),
                "dce.trackdrive.webhook-token", TOKEN);
        ConcurrentMap<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger next = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            senders.submit(() -> {
                while (sending.get()) {
                    int status = ServiceProcess.postJson(port, "/webhooks/trackdrive?token=" + TOKEN,
                            "{\"id\": \"w-" + next.incrementAndGet() + "\", \"status\": \"finished\"}");
                    answers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                }
            });
        }
        try (ServiceProcess service = ServiceProcess.start("window", settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> answers.containsKey(202)
                    && answers.get(202).get() > 50);
            service.terminate(Duration.ofSeconds(60));
        } finally {
            sending.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(answers).as("answers by status (-1: not taken)").doesNotContainKey(404)
                .containsKey(202).containsKey(-1);
        assertThat(answers.keySet()).isSubsetOf(202, 503, -1);
    }
}
