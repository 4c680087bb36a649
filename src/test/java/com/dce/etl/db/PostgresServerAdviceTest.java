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
        assertThat(PostgresServerAdvice.advise(sizes(128, 1024, 80))).satisfiesExactly(
                line -> assertThat(line).startsWith("PostgreSQL's shared_buffers is 128 MB:")
                        .contains("a quarter of the server's memory").doesNotContain("\n"),
                line -> assertThat(line).startsWith("PostgreSQL's max_wal_size is 1024 MB:").contains("8GB")
                        .doesNotContain("\n"),
                line -> assertThat(line).startsWith("PostgreSQL's min_wal_size is 80 MB:")
                        .contains("half of max_wal_size").doesNotContain("\n"));
    }

    @Test
    void aServerSizedAboveTheDefaultsGetsNone() {
        assertThat(PostgresServerAdvice.advise(sizes(129, 1025, 81))).isEmpty();
        assertThat(PostgresServerAdvice.advise(sizes(2048, 8192, 4096))).isEmpty();
        assertThat(PostgresServerAdvice.advise(sizes(64, 8192, 4096))).singleElement().asString()
                .startsWith("PostgreSQL's shared_buffers is 64 MB:");
        assertThat(PostgresServerAdvice.advise(sizes(2048, 512, 4096))).singleElement().asString()
                .startsWith("PostgreSQL's max_wal_size is 512 MB:");
        assertThat(PostgresServerAdvice.advise(sizes(2048, 8192, 32))).singleElement().asString()
                .startsWith("PostgreSQL's min_wal_size is 32 MB:");
    }

    @Test
    void theSettingsAreReadFromTheServer() throws Exception {
        assumeTrue(TestDatabase.postgres(), "a PostgreSQL server's settings");
        // the tests' server keeps PostgreSQL's defaults for all three (it turns off only its writes to disk)
        try (Connection connection = DriverManager.getConnection(LocalPostgres.shared().url("postgres"), "postgres",
                "")) {
            assertThat(new PostgresDialect().serverAdvice(connection)).satisfiesExactly(
                    line -> assertThat(line).startsWith("PostgreSQL's shared_buffers is 128 MB:"),
                    line -> assertThat(line).startsWith("PostgreSQL's max_wal_size is 1024 MB:"),
                    line -> assertThat(line).startsWith("PostgreSQL's min_wal_size is 80 MB:"));
        }
    }

    @Test
    void h2GetsNoAdvice() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:advice", "sa", "")) {
            assertThat(new H2Dialect().serverAdvice(connection)).isEmpty();
        }
    }

    private static PostgresServerAdvice.Sizes sizes(long sharedBuffersMb, long maxWalMb, long minWalMb) {
        return new PostgresServerAdvice.Sizes(sharedBuffersMb * MB, maxWalMb * MB, minWalMb * MB);
    }
}
