package com.dce.etl.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.support.Db;
import com.dce.etl.support.HeldConnections;
import com.dce.etl.support.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;

/** The inbox writer outlives a batch that fails in any way, also with an Error thrown by the driver. */
class InboxWriterTest {
    @TempDir
    Path dir;

    @Test
    void aBatchFailingWithAnErrorFailsItsSendersAndTheNextBatchIsStored() throws Exception {
        try (HikariDataSource real = TestDatabases.fresh(dir)) {
            AtomicBoolean breakNext = new AtomicBoolean(true);
            SqlDialect dialect = SqlDialect.forUrl(real.getJdbcUrl());
            try (InboxWriter writer = new InboxWriter(failingOnce(real, breakNext), dialect, Duration.ofSeconds(5),
                    new InboxHandoff(0, Duration.ofSeconds(30), Clock.systemUTC()))) {
                // what pgjdbc threw from a batch on a connection the restarted database had closed
                assertThat(writer.submit("trackdrive", "webhook", "r", "{\"id\": 1}")).failsWithin(Duration.ofSeconds(5))
                        .withThrowableOfType(ExecutionException.class).havingCause()
                        .isInstanceOf(SQLException.class).withMessageContaining("AssertionError");
                assertThat(writer.submit("trackdrive", "webhook", "r", "{\"id\": 2}").join()).isPositive();
            }
            assertThat(new Db(real).rows("SELECT payload FROM dce_inbox")).hasSize(1)
                    .allMatch(row -> row.get("payload").equals("{\"id\": 2}"));
        }
    }

    @Test
    void aCommitSlowerThanTheTimeoutFailsItsSenderAndItsEntryIsStillStored() throws Exception {
        try (HikariDataSource real = TestDatabases.fresh(dir)) {
            HeldConnections held = new HeldConnections();
            try (InboxWriter writer = new InboxWriter(held.around(real), SqlDialect.forUrl(real.getJdbcUrl()),
                    Duration.ofMillis(200), new InboxHandoff(0, Duration.ofSeconds(30), Clock.systemUTC()))) {
                assertThat(writer.submit("trackdrive", "webhook", "r", "{\"id\": 3}"))
                        .failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                        .havingCause().isInstanceOf(SQLTransientException.class)
                        .withMessage("storing took longer than 200 ms");
                held.open();
                // its sender was told to send again; the entry is loaded like any other once committed
                await().atMost(Duration.ofSeconds(5)).until(() -> new Db(real).count("dce_inbox") == 1);
            }
        }
    }

    @Test
    void aSenderFindingTheQueueFullIsFailedAtOnceAndTheQueuedAreStored() throws Exception {
        try (HikariDataSource real = TestDatabases.fresh(dir)) {
            HeldConnections held = new HeldConnections();
            try (InboxWriter writer = new InboxWriter(held.around(real), SqlDialect.forUrl(real.getJdbcUrl()),
                    Duration.ofSeconds(60), new InboxHandoff(0, Duration.ofSeconds(30), Clock.systemUTC()))) {
                List<CompletableFuture<Long>> taken = new ArrayList<>();
                taken.add(writer.submit("trackdrive", "webhook", "r", "{\"id\": 0}"));
                await().atMost(Duration.ofSeconds(5)).untilTrue(held.asked());
                for (int i = 1; i <= 10_000; i++) {
                    taken.add(writer.submit("trackdrive", "webhook", "r", "{\"id\": " + i + "}"));
                }
                CompletableFuture<Long> refused = writer.submit("trackdrive", "webhook", "r", "{\"id\": -1}");
                assertThat(refused).isCompletedExceptionally();
                assertThat(refused).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                        .havingCause().isInstanceOf(SQLTransientException.class)
                        .withMessage("inbox writer is saturated");

                held.open();
                CompletableFuture.allOf(taken.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                assertThat(new Db(real).count("dce_inbox")).isEqualTo(10_001);
            }
        }
    }

    /** A data source whose first statement's executeBatch throws an AssertionError. */
    private static DataSource failingOnce(DataSource real, AtomicBoolean breakNext) {
        return (DataSource) Proxy.newProxyInstance(InboxWriterTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection connection = (Connection) result;
                    return Proxy.newProxyInstance(InboxWriterTest.class.getClassLoader(),
                            new Class<?>[] {Connection.class}, (c, m, a) -> {
                                Object made = invoke(connection, m, a);
                                if (!m.getName().equals("prepareStatement")) {
                                    return made;
                                }
                                PreparedStatement statement = (PreparedStatement) made;
                                return Proxy.newProxyInstance(InboxWriterTest.class.getClassLoader(),
                                        new Class<?>[] {PreparedStatement.class}, (st, sm, sa) -> {
                                            if (sm.getName().equals("executeBatch") && breakNext.getAndSet(false)) {
                                                throw new AssertionError("getAutoCommit() should not throw");
                                            }
                                            return invoke(statement, sm, sa);
                                        });
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
