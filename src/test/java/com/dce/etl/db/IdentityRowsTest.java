package com.dce.etl.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.support.Db;
import com.dce.etl.support.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The ids given back are the rows' own, in order, on both databases: with two inserters at once (two instances, each
 * reserving its own ids on PostgreSQL), rows inserted with the column's default in between, batches beyond a block of
 * reserved ids, and batches that fail. A batch is committed whole or not at all, also when its failing row is in
 * another of the multi-row statements pgjdbc folds it into than its first rows (PostgreSQL runs it in auto-commit
 * mode).
 */
class IdentityRowsTest {
    private static final List<String> COLUMNS = List.of("provider", "channel", "payload", "received_at", "attempts",
            "next_attempt_at");
    private static final int[] TYPES = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.TIMESTAMP_WITH_TIMEZONE,
        Types.INTEGER, Types.TIMESTAMP_WITH_TIMEZONE};

    @TempDir
    Path dir;

    @Test
    void eachRowGetsItsOwnIdInOrderWhoeverInsertsBesideIt() throws Exception {
        try (HikariDataSource dataSource = TestDatabases.fresh(dir)) {
            SqlDialect dialect = SqlDialect.forUrl(dataSource.getJdbcUrl());
            IdentityRows one = dialect.identityRows("dce_inbox", "id", COLUMNS, TYPES);
            IdentityRows other = dialect.identityRows("dce_inbox", "id", COLUMNS, TYPES);
            Map<Long, String> given = new HashMap<>();
            // the first batch of a connection fails: before pgjdbc has described the statements
            assertThatThrownBy(() -> insertFailing(dataSource, one, 2)).isInstanceOf(SQLException.class);
            for (int round = 0; round < 6; round++) {
                // 6 x 250 rows: more than a block of 1,000 reserved ids
                given.putAll(insert(dataSource, one, "one-" + round, IdentityRows.MAX_ROWS));
                given.putAll(insert(dataSource, other, "other-" + round, 7));
                insertByDefault(dataSource, "default-" + round);
            }
            // 128 + 64 + 8 rows, three statements: the broken row in the last
            assertThatThrownBy(() -> insertFailing(dataSource, one, 200)).isInstanceOf(SQLException.class);
            given.putAll(insert(dataSource, one, "after-rollback", 3));
            assertThatThrownBy(() -> insert(dataSource, other, "too-many", IdentityRows.MAX_ROWS + 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than the 250");

            Map<Long, String> stored = new HashMap<>();
            new Db(dataSource).rows("SELECT id, payload FROM dce_inbox")
                    .forEach(row -> stored.put(((Number) row.get("id")).longValue(), (String) row.get("payload")));
            assertThat(stored).hasSize(given.size() + 6);
            assertThat(stored).containsAllEntriesOf(given);
            assertThat(stored.values()).filteredOn(payload -> payload.startsWith("default-")).hasSize(6);
        }
    }

    /** Inserts {@code count} rows whose payloads say their batch and place; checks the ids come in order. */
    private static Map<Long, String> insert(HikariDataSource dataSource, IdentityRows rows, String batch, int count)
            throws SQLException {
        List<Object[]> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(row(batch + "/" + i));
        }
        long[] ids = rows.insert(dataSource, values);
        assertThat(ids).hasSize(count);
        assertThat(LongStream.of(ids).boxed().toList()).isSorted().doesNotHaveDuplicates();
        Map<Long, String> given = new HashMap<>();
        for (int i = 0; i < count; i++) {
            given.put(ids[i], batch + "/" + i);
        }
        return given;
    }

    /** A batch of {@code count} rows whose last breaks a NOT NULL column: nothing of it is to be kept. */
    private static void insertFailing(HikariDataSource dataSource, IdentityRows rows, int count) throws SQLException {
        List<Object[]> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(row("rolled-back/" + i));
        }
        values.get(count - 1)[0] = null;
        rows.insert(dataSource, values);
    }

    private static void insertByDefault(HikariDataSource dataSource, String payload) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO dce_inbox (provider, channel,"
                        + " payload, received_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            Object[] values = row(payload);
            RowBinding.bind(insert, values, TYPES);
            insert.executeUpdate();
        }
    }

    private static Object[] row(String payload) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return new Object[] {"trackdrive", "webhook", payload, now, 0, now};
    }
}
