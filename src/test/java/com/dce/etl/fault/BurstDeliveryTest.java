package com.dce.etl.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.support.Db;
import com.dce.etl.support.ServiceProcess;
import com.dce.etl.support.TestDatabase;
import com.dce.etl.support.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;

/**
 * TrackDrive delivering at volume: each call as three events (start, end, post-call) of which one carries both keys
 * and the others only the uuid or only the id, sent in random order with neighbouring calls interleaved so that the
 * events of one call are handled at the same moment by different workers (and, on PostgreSQL, instances), a share
 * sent twice, 2% unmappable. Senders act like a provider: no answer or a 5xx means "send again". Half-way one
 * instance is stopped and started again: on PostgreSQL killed with SIGKILL, on H2 stopped with SIGTERM (see
 * {@link #stop}). Afterwards every call is exactly one row with its final values, every unmappable event one dead
 * letter, the inbox empty, and no request was ever answered 404 (or any other 4xx).
 */
class BurstDeliveryTest {
    private static final String TOKEN = "burst-token";
    private static final int CALLS = 4_000;
    private static final double DUPLICATES = 0.05;
    private static final double UNMAPPABLE = 0.02;
    /** Calls whose events are shuffled together: their events are in flight at the same moment. */
    private static final int WINDOW = 6;
    private static final int SENDERS = 32;

    @TempDir
    Path dir;

    private record Event(String body, boolean unmappable) {
    }

    @Test
    void everyEventLandsInItsCallUnderConcurrentDeliveryAndARestart() throws Exception {
        Random random = new Random(20261124);
        List<Event> events = events(random);
        Set<String> unmappable = new HashSet<>();
        events.stream().filter(Event::unmappable).forEach(event -> unmappable.add(event.body()));

        String url = TestDatabase.freshUrl(dir);
        Map<String, String> settings = new HashMap<>(Map.of("dce.db.url", url, "dce.db.user", TestDatabase.user(),
                "dce.trackdrive.webhook-token", TOKEN, "dce.inbox.lease-seconds", "3",
                "dce.inbox.sweep-interval-ms", "500", "dce.retry.initial-delay-ms", "100",
                "dce.retry.max-delay-ms", "1000"));
        int instances = TestDatabase.postgres() ? 2 : 1;
        List<AtomicReference<ServiceProcess>> targets = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            targets.add(new AtomicReference<>(ServiceProcess.start("burst-" + i, settings)));
        }
        ConcurrentMap<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicInteger acked = new AtomicInteger();
        long started = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> sent = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < SENDERS; t++) {
                sent.add(senders.submit(() -> {
                    for (int i = next.getAndIncrement(); i < events.size(); i = next.getAndIncrement()) {
                        deliver(events.get(i).body(), i, targets, answers);
                        acked.incrementAndGet();
                    }
                    return null;
                }));
            }
            // half-way, the first instance goes away (see stop) and comes back; what it had claimed is taken again
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.get() >= events.size() / 2);
            stop(targets.get(0).get());
            targets.get(0).set(ServiceProcess.start("burst-0-again", settings));
            for (Future<?> sender : sent) {
                sender.get(120, TimeUnit.SECONDS);
            }
            double sendingSeconds = (System.nanoTime() - started) / 1e9;
            try (HikariDataSource dataSource = TestDatabases.migrated(url, TestDatabase.user(), "")) {
                Db db = new Db(dataSource);
                await().atMost(Duration.ofSeconds(60)).until(() -> db.count("dce_inbox") == 0);
                double seconds = (System.nanoTime() - started) / 1e9;
                int wrong = wrongRows(db);
                long letters = db.count("dce_dead_letters");
                // the figures for the closing note of the issue; one line
                System.out.printf("BURST %s: %d webhooks for %d calls on %d instance(s), one %s half-way,"
                        + " all answered 202 in %.1f s, loaded in %.1f s, answers %s, rows wrong %d,"
                        + " dead letters %d of %d unmappable%n",
                        TestDatabase.postgres() ? "postgres" : "h2", events.size(), CALLS, instances,
                        TestDatabase.postgres() ? "killed (SIGKILL)" : "stopped (SIGTERM)", sendingSeconds,
                        seconds, answers, wrong, letters, unmappable.size());

                assertThat(answers.keySet()).as("answers by status (-1: no answer)").doesNotContain(404)
                        .allMatch(status -> status == 202 || status == -1 || status >= 500);
                assertThat(db.count("dce_calls")).isEqualTo(CALLS);
                assertThat(wrong).as("calls whose row is not their final values").isZero();
                List<Map<String, Object>> deadLetters = db.rows("SELECT reason_code, payload FROM dce_dead_letters");
                assertThat(deadLetters).as("one dead letter per unmappable event").hasSize(unmappable.size())
                        .allMatch(letter -> "MISSING_ID".equals(letter.get("reason_code")));
                assertThat(deadLetters.stream().map(letter -> (String) letter.get("payload")).toList())
                        .containsExactlyInAnyOrderElementsOf(unmappable);
            }
        } finally {
            senders.shutdownNow();
            for (AtomicReference<ServiceProcess> target : targets) {
                target.get().close();
            }
        }
    }

    /**
     * PostgreSQL: SIGKILL, the instance dies with transactions in flight. H2: SIGTERM, a graceful stop under full
     * load (webhooks in flight get 503 or no answer and are sent again). H2 2.3.232 does not always recover the
     * transaction that was in flight at a SIGKILL: with this test killing the H2 instance, 4 runs of 23 ended with
     * a row of that transaction left behind after the restart, locked for good ("Concurrent update in table
     * DCE_CALLS" on every later attempt) or invisible to key lookups yet holding its uuid in the unique index, so that
     * the restarted service stored the call a second time under the same primary key (or lost a value). No
     * writer of the service can cause a duplicate primary key. Acknowledged commits themselves survived: 8 connections
     * committing, killed 4 times, 0 of 69,000 lost. So the kill is tested where production runs (PostgreSQL) and the
     * README says H2 is not for processes that may be killed.
     */
    private static void stop(ServiceProcess instance) throws Exception {
        if (TestDatabase.postgres()) {
            instance.kill();
        } else {
            instance.terminate(Duration.ofSeconds(60));
        }
    }

    /**
     * Sends one event until an instance takes it (202), like a provider: no answer or a 5xx means again, to the next
     * instance, after a short pause. Any other answer is final for a provider, so it is recorded and given up.
     */
    private static void deliver(String body, int index, List<AtomicReference<ServiceProcess>> targets,
            ConcurrentMap<Integer, AtomicInteger> answers) {
        for (int attempt = 0; attempt < 600; attempt++) {
            ServiceProcess target = targets.get((index + attempt) % targets.size()).get();
            int status = target.postJson("/webhooks/trackdrive?token=" + TOKEN, body);
            answers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            if (status != -1 && status < 500) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new IllegalStateException("no instance took an event within a minute");
    }

    /** The rows that are not exactly what the call's last event says (status, duration, revenue, uuid, id). */
    private static int wrongRows(Db db) throws Exception {
        int wrong = 0;
        for (Map<String, Object> row : db.rows("SELECT external_call_id, call_uuid, call_status, call_duration,"
                + " call_value, is_converted, caller_city FROM dce_calls")) {
            int call = Integer.parseInt((String) row.get("external_call_id")) - 7_000_000;
            boolean right = uuid(call).equals(row.get("call_uuid")) && "completed".equals(row.get("call_status"))
                    && Integer.valueOf(duration(call)).equals(row.get("call_duration"))
                    && revenue(call).equals(row.get("call_value")) && Boolean.TRUE.equals(row.get("is_converted"))
                    && ("City " + call).equals(row.get("caller_city"));
            if (!right && wrong < 5) {
                System.out.println("wrong row: " + row);
            }
            wrong += right ? 0 : 1;
        }
        return wrong;
    }

    private static List<Event> events(Random random) {
        List<Event> events = new ArrayList<>();
        for (int first = 0; first < CALLS; first += WINDOW) {
            List<Event> window = new ArrayList<>();
            for (int call = first; call < Math.min(first + WINDOW, CALLS); call++) {
                window.addAll(eventsOf(call, random));
            }
            for (Event event : List.copyOf(window)) {
                if (random.nextDouble() < DUPLICATES) {
                    window.add(event);
                }
            }
            Collections.shuffle(window, random);
            events.addAll(window);
        }
        return events;
    }

    /** Start, end and post-call of one call; one random event carries both keys, each other one key. */
    private static List<Event> eventsOf(int call, Random random) {
        String[] bodies = {
            "\"status\": \"ringing\", \"total_duration\": 0, \"caller_city\": \"City " + call + "\"",
            "\"status\": \"finished\", \"total_duration\": " + duration(call) + ", \"buyer_revenue\": \""
                    + revenue(call).toPlainString() + "\"",
            "\"buyer_converted\": \"Converted\""};
        int both = random.nextInt(bodies.length);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            String keys;
            if (i == both) {
                keys = "\"id\": " + (7_000_000 + call) + ", \"uuid\": \"" + uuid(call) + "\"";
            } else if (random.nextBoolean()) {
                keys = "\"uuid\": \"" + uuid(call) + "\"";
            } else {
                keys = "\"id\": " + (7_000_000 + call);
            }
            events.add(new Event("{\"event\": \"call\", \"call\": {" + keys + ", " + bodies[i] + "}}", false));
            if (random.nextDouble() < UNMAPPABLE) {
                // an event that lost its keys on the way: unique, so each must be its own dead letter
                events.add(new Event("{\"call\": {\"caller_city\": \"lost " + call + "-" + i + "\", " + bodies[i]
                        + "}}", true));
            }
        }
        return events;
    }

    private static String uuid(int call) {
        return String.format("burst-%07d", call);
    }

    private static int duration(int call) {
        return 30 + call % 600;
    }

    private static BigDecimal revenue(int call) {
        return new BigDecimal(call % 97 + ".2500");
    }
}
