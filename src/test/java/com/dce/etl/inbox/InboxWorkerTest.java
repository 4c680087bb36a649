package com.dce.etl.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.dce.etl.support.Db;
import com.dce.etl.support.RunningService;

/**
 * A burst of webhooks larger than one claim, loaded by a single worker with the sweep out of the way: every further
 * claim comes from the worker waking itself up, and a worker that waited on its own wake-up queue would stop for good.
 */
class InboxWorkerTest {
    private static final String TOKEN = "inbox-worker-token";
    private static final int WEBHOOKS = 40;

    @Test
    void oneWorkerLoadsABurstLargerThanItsBatchByWakingItselfUp() throws Exception {
        try (RunningService service = RunningService.start(Map.of("dce.trackdrive.webhook-token", TOKEN,
                "dce.inbox.workers", "1", "dce.inbox.batch-size", "3", "dce.inbox.sweep-interval-ms", "600000"))) {
            Db db = service.db();
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < WEBHOOKS; i++) {
                String body = "{\"id\": \"burst-" + i + "\", \"status\": \"finished\"}";
                answers.add(senders.submit(() -> service.post("/webhooks/trackdrive?token=" + TOKEN, body,
                        "Content-Type", "application/json").statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(202);
            }
            senders.shutdown();

            await().atMost(Duration.ofSeconds(20)).until(() -> db.count("dce_inbox") == 0);
            assertThat(db.rows("SELECT external_call_id FROM dce_calls WHERE external_call_id LIKE 'burst-%'"))
                    .hasSize(WEBHOOKS);
        }
    }
}
