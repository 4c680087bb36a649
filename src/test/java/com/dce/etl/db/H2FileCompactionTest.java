package com.dce.etl.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.config.Settings;
import com.zaxxer.hikari.HikariDataSource;

/**
 * An H2 file that churned (rows written and deleted, as the inbox does with every webhook) gives its free space back
 * when the service closes it, and while it runs once nothing has been committed for a while, and keeps every row that
 * is still there or was written during the compaction. H2 only (excluded from the PostgreSQL run).
 */
class H2FileCompactionTest {
    private static final String PAYLOAD = "x".repeat(2000);
    private static final int KEPT = 2_000;

    @TempDir
    Path dir;

    @Test
    void aChurnedFileShrinksWhenTheServiceClosesIt() throws Exception {
        long whileOpen;
        try (HikariDataSource dataSource = Database.open(settings(), url())) {
            whileOpen = churn(dataSource);
        }
        long closed = Files.size(file());
        assertThat(closed).as("bytes after closing, against %d while open", whileOpen).isLessThan(whileOpen / 3);
        assertKept(KEPT);
    }

    @Test
    void aChurnedFileShrinksWhileOpenOnceNothingIsCommitted() throws Exception {
        try (HikariDataSource dataSource = Database.open(settings(), url());
                H2IdleCompaction compaction = H2IdleCompaction.start(dataSource, Duration.ofSeconds(1))) {
            long whileOpen = churn(dataSource);
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.size(file()) < whileOpen / 3);
            assertKept(dataSource, KEPT);
            // the compaction ends by itself, and does not start again while the file stays as long
            AtomicLong seen = new AtomicLong(-1);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                    .until(() -> compaction.slices() == seen.getAndSet(compaction.slices()));
            long slices = compaction.slices();
            try (Connection connection = dataSource.getConnection()) {
                insert(connection, "kept", KEPT, KEPT + 1);
            }
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5))
                    .until(() -> compaction.slices() == slices);
            assertKept(dataSource, KEPT + 1);
        }
        assertKept(KEPT + 1);
    }

    @Test
    void writesHoldTheCompactionOffAndEveryRowWrittenDuringOneIsKept() throws Exception {
        try (HikariDataSource dataSource = Database.open(settings(), url());
                H2IdleCompaction compaction = H2IdleCompaction.start(dataSource, Duration.ofSeconds(1))) {
            long whileOpen = churn(dataSource);
            // a commit every 200 ms for 4 s: never a second without one, so never a slice
            ScheduledExecutorService steady = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger next = new AtomicInteger(KEPT);
            CountDownLatch twenty = new CountDownLatch(20);
            steady.scheduleAtFixedRate(() -> {
                if (twenty.getCount() > 0) {
                    try (Connection connection = dataSource.getConnection()) {
                        insert(connection, "kept", next.get(), next.incrementAndGet());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    twenty.countDown();
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            assertThat(twenty.await(1, TimeUnit.MINUTES)).isTrue();
            steady.shutdown();
            assertThat(compaction.slices()).as("slices while a commit came every 200 ms").isZero();

            // webhooks arrive while the compaction runs: four writers, each with its connection open, commit rows
            // one by one from the moment its first slice ends
            ExecutorService writers = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> written = new ArrayList<>();
            for (int writer = 0; writer < 4; writer++) {
                int from = KEPT + 20 + writer * 250;
                written.add(writers.submit(() -> {
                    try (Connection connection = dataSource.getConnection()) {
                        go.await();
                        for (int id = from; id < from + 250; id++) {
                            insert(connection, "kept", id, id + 1);
                        }
                    }
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                    .until(() -> compaction.slices() > 0);
            go.countDown();
            for (Future<?> writer : written) {
                writer.get(2, TimeUnit.MINUTES);
            }
            writers.shutdown();
            assertThat(compaction.stoppedForWrites()).as("compactions the writes stopped").isEqualTo(1);
            assertKept(dataSource, KEPT + 20 + 1_000);
            // and once they stop, the compaction finishes
            await().atMost(Duration.ofMinutes(2)).until(() -> Files.size(file()) < whileOpen / 3);
        }
        assertKept(KEPT + 20 + 1_000);
    }

    private Path file() {
        return dir.resolve("dce.mv.db");
    }

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("dce").toAbsolutePath();
    }

    private static Settings settings() {
        return new Settings(new DefaultCamelContext().getPropertiesComponent());
    }

    /**
     * About 550 MB of file, most of it rows written and deleted, and {@link #KEPT} rows kept; its size. With less
     * churn (3 rounds of 6,000 rows) H2's default 200 ms of compaction at close also shrank it enough, and the test of
     * the compaction at close could not fail.
     */
    private long churn(HikariDataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id INT PRIMARY KEY, payload VARCHAR)");
                statement.execute("CREATE TABLE churn (id INT PRIMARY KEY, payload VARCHAR)");
            }
            for (int round = 0; round < 4; round++) {
                insert(connection, "churn", 0, 10_000);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DELETE FROM churn");
                }
            }
            insert(connection, "kept", 0, KEPT);
        }
        return Files.size(file());
    }

    /** The file, opened again after the service closed it, holds rows 0 to {@code rows} whole. */
    private void assertKept(long rows) throws Exception {
        try (HikariDataSource dataSource = Database.open(settings(), url())) {
            assertKept(dataSource, rows);
        }
    }

    private static void assertKept(HikariDataSource dataSource, long rows) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet kept = statement.executeQuery("SELECT COUNT(*), SUM(LENGTH(payload)), MAX(id) FROM kept")) {
            kept.next();
            assertThat(kept.getLong(1)).isEqualTo(rows);
            assertThat(kept.getLong(2)).isEqualTo(rows * PAYLOAD.length());
            assertThat(kept.getLong(3)).isEqualTo(rows - 1);
        }
    }

    /** Rows {@code from} to {@code to}, committed every 500 as the pipeline commits its batches. */
    private static void insert(Connection connection, String table, int from, int to) throws Exception {
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
            for (int id = from; id < to; id++) {
                insert.setInt(1, id);
                insert.setString(2, PAYLOAD);
                insert.addBatch();
                if (id % 500 == 499) {
                    insert.executeBatch();
                    connection.commit();
                }
            }
            insert.executeBatch();
            connection.commit();
        }
        connection.setAutoCommit(true);
    }
}
