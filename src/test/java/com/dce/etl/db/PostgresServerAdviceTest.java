package com.dce.etl.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;

import org.junit.jupiter.api.Test;

import com.dce.etl.support.LocalPostgres;
import com.dce.etl.support.TestDatabase;

/** The start-up advice on PostgreSQL's memory and WAL: for a server at PostgreSQL's defaults only. */
class PostgresServerAdviceTest {
    private static final long MB = 1L << 20;

    @Test
    void aServerAtPostgresDefaultsGetsOneLineForEachSetting() {
        assertThat(PostgresServerAdvice.advise(128 * MB, 1024 * MB)).satisfiesExactly(
                line -> assertThat(line).startsWith("PostgreSQL's shared_buffers is 128 MB:")
                        .contains("a quarter of the server's memory").doesNotContain("\n"),
                line -> assertThat(line).startsWith("PostgreSQL's max_wal_size is 1024 MB:").contains("8GB")
                        .doesNotContain("\n"));
    }

    @Test
    void aServerSizedAboveTheDefaultsGetsNone() {
        assertThat(PostgresServerAdvice.advise(129 * MB, 1025 * MB)).isEmpty();
        assertThat(PostgresServerAdvice.advise(2048 * MB, 8192 * MB)).isEmpty();
        assertThat(PostgresServerAdvice.advise(64 * MB, 8192 * MB)).singleElement().asString()
                .startsWith("PostgreSQL's shared_buffers is 64 MB:");
        assertThat(PostgresServerAdvice.advise(2048 * MB, 512 * MB)).singleElement().asString()
                .startsWith("PostgreSQL's max_wal_size is 512 MB:");
    }

    @Test
    void theSettingsAreReadFromTheServer() throws Exception {
        assumeTrue(TestDatabase.postgres(), "a PostgreSQL server's settings");
        // the tests' server keeps PostgreSQL's defaults for both (it turns off only its writes to disk)
        try (Connection connection = DriverManager.getConnection(LocalPostgres.shared().url("postgres"), "postgres",
                "")) {
            assertThat(new PostgresDialect().serverAdvice(connection)).satisfiesExactly(
                    line -> assertThat(line).startsWith("PostgreSQL's shared_buffers is 128 MB:"),
                    line -> assertThat(line).startsWith("PostgreSQL's max_wal_size is 1024 MB:"));
        }
    }

    @Test
    void h2GetsNoAdvice() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:advice", "sa", "")) {
            assertThat(new H2Dialect().serverAdvice(connection)).isEmpty();
        }
    }
}
