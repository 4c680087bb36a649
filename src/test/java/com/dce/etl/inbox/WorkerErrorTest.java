package com.dce.etl.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Processor;
import org.junit.jupiter.api.Test;

import com.dce.etl.mapping.MappedCall;
import com.dce.etl.pipeline.CallBatch;
import com.dce.etl.pipeline.ErrorsAsFailures;
import com.dce.etl.support.Db;
import com.dce.etl.support.RunningService;

/**
 * A load step that fails with an {@link Error} (an OutOfMemoryError from one absurd record) fails its batch like an
 * exception: the worker lives on, its claim is released, the entries are retried with backoff, a call that fails once
 * loads on the next attempt, and one that always fails is dead-lettered after {@code dce.inbox.max-attempts}. No
 * entry is left claimed.
 */
class WorkerErrorTest {
    private static final String TOKEN = "w0rker";

    @Test
    void anErrorInALoadStepIsRetriedThenDeadLetteredAndTheWorkerGoesOn() throws Exception {
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        try (RunningService service = RunningService.start(Map.of("dce.trackdrive.webhook-token", TOKEN,
                "dce.inbox.max-attempts", "3", "dce.inbox.workers", "1", "dce.inbox.sweep-interval-ms", "200"),
                context -> {
                    Processor enrich = context.getRegistry().lookupByNameAndType("enrichCalls", Processor.class);
                    context.getRegistry().bind("enrichCalls", new ErrorsAsFailures(exchange -> {
                        String ids = exchange.getMessage().getBody(CallBatch.class).calls().stream()
                                .map(MappedCall::externalCallId).toList().toString();
                        if (ids.contains("oom-always") || ids.contains("oom-once") && failedOnce.add("oom-once")) {
                            throw new OutOfMemoryError("Java heap space (simulated)");
                        }
                        enrich.process(exchange);
                    }));
                })) {
            Db db = service.db();
            for (String id : new String[] {"oom-always", "oom-once", "fine-1"}) {
                assertThat(service.post("/webhooks/trackdrive?token=" + TOKEN, "{\"id\":\"" + id + "\"}",
                        "Content-Type", "application/json").statusCode()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> db.count("dce_inbox") == 0);
            assertThat(db.rows("SELECT external_call_id FROM dce_calls ORDER BY external_call_id"))
                    .extracting(row -> row.get("external_call_id")).containsExactly("fine-1", "oom-once");
            Map<String, Object> letter = db.row("SELECT reason_code, payload, error_message FROM dce_dead_letters");
            assertThat(letter.get("reason_code")).isEqualTo("MAX_ATTEMPTS");
            assertThat((String) letter.get("payload")).contains("oom-always");
            assertThat(db.count("dce_dead_letters")).isEqualTo(1);

            // the one worker is still there to load the next webhook
            service.post("/webhooks/trackdrive?token=" + TOKEN, "{\"id\":\"fine-2\"}", "Content-Type",
                    "application/json");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> db.count("dce_calls WHERE external_call_id = 'fine-2'") == 1);
        }
    }
}
