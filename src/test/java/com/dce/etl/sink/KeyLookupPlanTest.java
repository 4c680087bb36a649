package com.dce.etl.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.retry.Backoff;
import com.dce.etl.retry.RetryPolicy;
import com.dce.etl.support.Db;
import com.dce.etl.support.MappedCalls;
import com.dce.etl.support.TestDatabase;
import com.dce.etl.support.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A new PostgreSQL table filled by the writer, as a first backfill or a backlog of webhooks fills it, before
 * autovacuum has analyzed it: the key lookups must still probe the key indexes. Without statistics the planner took
 * the (provider, call_start_time) index for them and read every row of the provider for each value.
 */
class KeyLookupPlanTest {
    private static final int PAGES = 12;
    private static final int PAGE = 1_000;

    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private SqlDialect dialect;

    @BeforeEach
    void open() {
        assumeTrue(TestDatabase.postgres(), "PostgreSQL's planner and statistics");
        dataSource = TestDatabases.fresh(dir);
        dialect = SqlDialect.forUrl(dataSource.getJdbcUrl());
    }

    @AfterEach
    void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Test
    void lookupsProbeTheKeyIndexesOfATableFilledFromEmpty() throws Exception {
        CallWriter writer = new CallWriter(dataSource, dialect,
                new RetryPolicy(new Backoff(Duration.ofMillis(5), Duration.ofMillis(50)), 10),
                new DeadLetterStore(dataSource, dialect));
        for (int page = 0; page < PAGES; page++) {
            List<MappedCall> calls = new ArrayList<>();
            for (int i = 0; i < PAGE; i++) {
                int n = page * PAGE + i;
                calls.add(MappedCalls.trackdrive(Integer.toString(n), "u-" + n));
            }
            assertThat(writer.write("trackdrive", "poll", "test", calls, BatchCompletion.nothing()).failed())
                    .isEmpty();
        }
        assertThat(new Db(dataSource).count("dce_calls")).isEqualTo(PAGES * PAGE);

        // the service analyzes the table as it grows (at 1,000, 2,000, 4,000 and 8,000 rows written), in the
        // background, until autovacuum has analyzed it once; without statistics the plans below took the
        // (provider, call_start_time) index with a filter
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(plan(dialect.keyLookup("dce_calls", "provider", "call_uuid", "external_call_id",
                    "source_hash"), "u-7", "u-11999", "u-none")).contains("dce_calls_uuid").doesNotContain("Filter");
            assertThat(plan(dialect.keyLookup("dce_calls", "provider", "external_call_id", "source_hash"),
                    "7", "11999", "none")).contains("dce_calls_pk").doesNotContain("Filter");
        });
    }

    private String plan(String lookup, String... values) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement explain = connection.prepareStatement("EXPLAIN " + lookup)) {
            explain.setArray(1, connection.createArrayOf("VARCHAR", values));
            explain.setString(2, "trackdrive");
            StringBuilder plan = new StringBuilder();
            try (ResultSet lines = explain.executeQuery()) {
                while (lines.next()) {
                    plan.append(lines.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }
}
