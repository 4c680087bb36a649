package com.dce.etl.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.support.Db;
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
                assertThatThrownBy(() -> writer.add("trackdrive", "webhook", "r", "{\"id\": 1}"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("AssertionError");
                assertThat(writer.add("trackdrive", "webhook", "r", "{\"id\": 2}")).isPositive();
            }
            assertThat(new Db(real).rows("SELECT payload FROM dce_inbox")).hasSize(1)
                    .allMatch(row -> row.get("payload").equals("{\"id\": 2}"));
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
