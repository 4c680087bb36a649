package com.dce.etl.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.mapping.DceColumn;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.retry.Backoff;
import com.dce.etl.retry.RetryPolicy;
import com.dce.etl.support.Db;
import com.dce.etl.support.MappedCalls;
import com.dce.etl.support.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The events of one call (id + uuid, uuid only, id only) written at the same instant by different writers, in
 * every order: each call ends as exactly one row keyed by its id, holding every event's values, and no event is
 * refused. Before the fix a uuid-only event that lost the race was retried from a copy its first try had keyed by
 * the uuid, and was dead-lettered as "uuid ... already belongs to call id ...".
 */
class ConcurrentKeyResolutionTest {
    private static final int CALLS = 150;

    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private Db db;

    @BeforeEach
    void open() {
        dataSource = TestDatabases.fresh(dir);
        dataSource.setMaximumPoolSize(8);
        db = new Db(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void eventsOfOneCallWrittenAtTheSameMomentEndInOneCompleteRow() throws Exception {
        Random random = new Random(7);
        ExecutorService writers = Executors.newFixedThreadPool(3);
        try {
            for (int i = 0; i < CALLS; i++) {
                String id = Integer.toString(70_000 + i);
                String uuid = "uuid-" + i;
                List<MappedCall> events = new ArrayList<>(List.of(
                        call(id, uuid, DceColumn.CALL_STATUS, "completed", DceColumn.CALL_DURATION, 95),
                        call(null, uuid, DceColumn.CALLER_CITY, "Denver"),
                        call(id, null, DceColumn.CALL_VALUE, new BigDecimal("12.5000"))));
                Collections.shuffle(events, random);
                CyclicBarrier together = new CyclicBarrier(events.size());
                List<Future<CallWriter.Outcome>> outcomes = new ArrayList<>();
                for (MappedCall event : events) {
                    // a writer per event, as two workers or two instances would have
                    SqlDialect dialect = SqlDialect.forUrl(dataSource.getJdbcUrl());
                    CallWriter writer = new CallWriter(dataSource, dialect,
                            new RetryPolicy(new Backoff(Duration.ofMillis(2), Duration.ofMillis(50)), 10),
                            new DeadLetterStore(dataSource, dialect));
                    outcomes.add(writers.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return writer.write("trackdrive", "webhook", "test", List.of(event),
                                BatchCompletion.nothing());
                    }));
                }
                for (Future<CallWriter.Outcome> outcome : outcomes) {
                    assertThat(outcome.get(30, TimeUnit.SECONDS).failed()).as("call %s", id).isEmpty();
                }
            }
        } finally {
            writers.shutdownNow();
        }
        List<Map<String, Object>> rows = db.rows("SELECT external_call_id, call_uuid, call_status, call_duration,"
                + " caller_city, call_value FROM dce_calls ORDER BY external_call_id");
        assertThat(rows).hasSize(CALLS);
        for (Map<String, Object> row : rows) {
            String id = (String) row.get("external_call_id");
            assertThat(row.get("call_uuid")).as("uuid of %s", id).isEqualTo("uuid-" + (Integer.parseInt(id) - 70_000));
            assertThat(row.get("call_status")).as("status of %s", id).isEqualTo("completed");
            assertThat(row.get("call_duration")).as("duration of %s", id).isEqualTo(95);
            assertThat(row.get("caller_city")).as("city of %s", id).isEqualTo("Denver");
            assertThat(row.get("call_value")).as("value of %s", id).isEqualTo(new BigDecimal("12.5000"));
        }
        assertThat(db.count("dce_dead_letters")).isZero();
    }

    private static MappedCall call(String id, String uuid, Object... columnsAndValues) {
        return MappedCalls.trackdrive(id, uuid, columnsAndValues);
    }
}
