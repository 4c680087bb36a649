package com.dce.etl.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.support.Db;
import com.dce.etl.support.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;

/**
 * New rows read back as they were given, on both databases: texts that need quoting or are not ASCII, empty texts
 * beside NULLs, decimals of every sign and scale, integers, booleans and times with offsets and fractions, in more
 * rows than one message of a PostgreSQL COPY carries, sent twice in one transaction; a key that exists fails it.
 */
class NewRowsTest {
    private static final List<String> COLUMNS = List.of("provider", "external_call_id", "caller_city",
            "call_duration", "call_value", "is_converted", "call_start_time", "source_payload", "ingest_channel",
            "first_seen_at", "last_updated_at");
    private static final int[] TYPES = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.INTEGER, Types.DECIMAL,
        Types.BOOLEAN, Types.TIMESTAMP_WITH_TIMEZONE, Types.CLOB, Types.VARCHAR, Types.TIMESTAMP_WITH_TIMEZONE,
        Types.TIMESTAMP_WITH_TIMEZONE};
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 6, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final String[] TEXTS = {"plain", "", "with \"quotes\", commas\nand a line break", "São Paulo 東京 🙂",
        "\\N", "NULL", " padded "};
    private static final BigDecimal[] DECIMALS = {new BigDecimal("12.50"), new BigDecimal("0.0000"),
        new BigDecimal("-0.5"), new BigDecimal("-1234567890.1234"), new BigDecimal("7"), new BigDecimal("0.0001"),
        new BigDecimal("1E+3"), new BigDecimal("9999999999.9999")};
    private static final OffsetDateTime[] TIMES = {
        OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC),
        OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.ofHoursMinutes(5, 30)),
        OffsetDateTime.of(1999, 12, 31, 23, 59, 59, 1_000, ZoneOffset.ofHours(-7)),
        OffsetDateTime.of(2026, 6, 30, 0, 0, 0, 500_000_000, ZoneOffset.ofHoursMinutes(-3, -30)),
        OffsetDateTime.of(812, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC)};

    @TempDir
    Path dir;

    @Test
    void rowsReadBackAsGivenAcrossMessagesAndSends() throws Exception {
        try (HikariDataSource dataSource = TestDatabases.fresh(dir)) {
            SqlDialect dialect = SqlDialect.forUrl(dataSource.getJdbcUrl());
            List<Object[]> given = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                given.add(row(i));
            }
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (NewRows rows = dialect.newRows(connection, "dce_calls", COLUMNS, TYPES)) {
                    // about 250 KB: several COPY messages; then a second send on the same rows
                    given.subList(0, 300).forEach(values -> add(rows, values));
                    assertThat(rows.send()).isEqualTo(300);
                    given.subList(300, 400).forEach(values -> add(rows, values));
                    assertThat(rows.send()).isEqualTo(100);
                    assertThat(rows.send()).isZero();
                }
                connection.commit();
            }
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement query = connection.prepareStatement("SELECT " + String.join(", ", COLUMNS)
                            + " FROM dce_calls WHERE external_call_id = ?")) {
                for (Object[] values : given) {
                    query.setString(1, (String) values[1]);
                    try (ResultSet stored = query.executeQuery()) {
                        assertThat(stored.next()).isTrue();
                        assertThat(stored.getString(3)).isEqualTo(values[2]);
                        assertThat(stored.getObject(4)).isEqualTo(values[3]);
                        BigDecimal value = stored.getBigDecimal(5);
                        assertThat(value == null ? null : value.compareTo((BigDecimal) values[4]))
                                .as("call_value of %s", values[1]).isEqualTo(values[4] == null ? null : 0);
                        assertThat(stored.getObject(6)).isEqualTo(values[5]);
                        OffsetDateTime time = stored.getObject(7, OffsetDateTime.class);
                        assertThat(time == null ? null : time.toInstant())
                                .isEqualTo(values[6] == null ? null : ((OffsetDateTime) values[6]).toInstant());
                        assertThat(stored.getString(8)).isEqualTo(values[7]);
                    }
                }
            }
        }
    }

    @Test
    void aRowWhoseKeyExistsFailsTheTransaction() throws Exception {
        try (HikariDataSource dataSource = TestDatabases.fresh(dir)) {
            SqlDialect dialect = SqlDialect.forUrl(dataSource.getJdbcUrl());
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (NewRows rows = dialect.newRows(connection, "dce_calls", COLUMNS, TYPES)) {
                    add(rows, row(1));
                    rows.send();
                }
                connection.commit();
            }
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (NewRows rows = dialect.newRows(connection, "dce_calls", COLUMNS, TYPES)) {
                    // the existing key among rows that fill several messages before the send
                    for (int i = 0; i < 300; i++) {
                        add(rows, row(i == 150 ? 1 : 1000 + i));
                    }
                    assertThatThrownBy(rows::send).isInstanceOf(SQLException.class)
                            .satisfies(e -> assertThat(SqlFailures.isConflict((SQLException) e)).isTrue());
                } finally {
                    connection.rollback();
                }
                // the connection is usable again after the failed COPY and its rollback
                try (NewRows rows = dialect.newRows(connection, "dce_calls", COLUMNS, TYPES)) {
                    add(rows, row(2));
                    assertThat(rows.send()).isEqualTo(1);
                }
                connection.commit();
            }
            assertThat(new Db(dataSource).count("dce_calls")).isEqualTo(2);
        }
    }

    private static Object[] row(int i) {
        return new Object[] {"trackdrive", "call-" + i, i % 11 == 3 ? null : TEXTS[i % TEXTS.length],
            i % 13 == 5 ? null : i * 7 - 100, i % 9 == 4 ? null : DECIMALS[i % DECIMALS.length],
            i % 3 == 0 ? null : i % 2 == 0, i % 10 == 7 ? null : TIMES[i % TIMES.length],
            "{\"id\":\"call-" + i + "\",\"note\":\"" + "x\\\"y, ".repeat(90) + "\"}", "poll", NOW, NOW};
    }

    private static void add(NewRows rows, Object[] values) {
        try {
            rows.add(values);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
