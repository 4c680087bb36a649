package com.dce.etl.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.sql.DataSource;

/**
 * H2: the SQL-standard {@code MERGE ... USING} with a conditional {@code WHEN MATCHED}; new rows by batched INSERT,
 * their identity ids read back as generated keys.
 */
public final class H2Dialect implements SqlDialect {

    @Override
    public boolean serves(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:");
    }

    @Override
    public String name() {
        return "jdbc:h2:";
    }

    @Override
    public AutoCloseable storageUpkeep(DataSource dataSource, Duration idleAfter) {
        return idleAfter.isZero() ? SqlDialect.super.storageUpkeep(dataSource, idleAfter)
                : H2IdleCompaction.start(dataSource, idleAfter);
    }

    @Override
    public String incoming() {
        return "s";
    }

    /** A join from the unnested array: H2 scans the whole table for IN lists and {@code = ANY(array)} alike. */
    @Override
    public String keyLookup(String table, String scope, String column, String... returned) {
        return "SELECT d." + column + ", " + String.join(", ", Stream.of(returned).map(r -> "d." + r).toList())
                + " FROM UNNEST(?) AS k(v) JOIN " + table + " d ON d." + scope + " = ? AND d." + column + " = k.v";
    }

    @Override
    public String upsert(String table, List<String> keyColumns, List<String> columns, List<String> sqlTypes,
            List<Assignment> updates, String changedCondition) {
        String source = IntStream.range(0, columns.size())
                .mapToObj(i -> "CAST(? AS " + sqlTypes.get(i) + ") AS " + columns.get(i))
                .collect(Collectors.joining(", "));
        String on = keyColumns.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
        String set = updates.stream().map(a -> a.column() + " = " + a.expression()).collect(Collectors.joining(", "));
        String matched = updates.isEmpty() ? ""
                : " WHEN MATCHED" + (changedCondition == null ? "" : " AND (" + changedCondition + ")")
                        + " THEN UPDATE SET " + set;
        return "MERGE INTO " + table + " t USING (SELECT " + source + ") s ON (" + on + ")" + matched
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(c -> "s." + c).collect(Collectors.joining(", ")) + ")";
    }

    @Override
    public NewRows newRows(Connection connection, String table, List<String> columns, int[] jdbcTypes)
            throws SQLException {
        return new BatchedInsertRows(connection, table, columns, jdbcTypes);
    }

    @Override
    public IdentityRows identityRows(String table, String idColumn, List<String> columns, int[] jdbcTypes) {
        return new GeneratedKeyRows(table, columns, jdbcTypes);
    }
}
