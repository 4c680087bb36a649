package com.dce.etl.db;

import java.util.Collections;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

/**
 * PostgreSQL: {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE}, which is safe under concurrent inserts of the same
 * key, and which pgjdbc folds into multi-row inserts when {@code reWriteBatchedInserts=true}; new rows by {@code COPY};
 * identity ids taken from the sequence ahead ({@link ReservedIdRows}).
 */
public final class PostgresDialect implements SqlDialect {

    @Override
    public boolean serves(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    @Override
    public String name() {
        return "jdbc:postgresql:";
    }

    @Override
    public String incoming() {
        return "EXCLUDED";
    }

    /**
     * One index probe per value, which LIMIT 1 keeps from being flattened into a join: during a backfill into a fresh
     * table the statistics still say it is nearly empty, and the plain join then hashed every row of the provider on
     * each page (169 ms instead of 4 ms per 1,000 values at 200,000 rows, growing with the table).
     */
    @Override
    public String keyLookup(String table, String scope, String column, String... returned) {
        String columns = String.join(", ", returned);
        return "SELECT k.v, " + String.join(", ", Stream.of(returned).map(r -> "d." + r).toList())
                + " FROM UNNEST(?) AS k(v) CROSS JOIN LATERAL (SELECT " + columns + " FROM " + table + " WHERE "
                + scope + " = ? AND " + column + " = k.v LIMIT 1) d";
    }

    /** A table just created has no statistics, and autovacuum may come late: {@link PostgresAnalyze}. */
    @Override
    public TableGrowth growthOf(DataSource dataSource, String table, List<String> lookupColumns) {
        return new PostgresAnalyze(dataSource, table, lookupColumns);
    }

    @Override
    public List<String> serverAdvice(Connection connection) throws SQLException {
        return PostgresServerAdvice.read(connection);
    }

    @Override
    public String upsert(String table, List<String> keyColumns, List<String> columns, List<String> sqlTypes,
            List<Assignment> updates, String changedCondition) {
        String placeholders = String.join(", ", Collections.nCopies(columns.size(), "?"));
        String set = updates.stream().map(a -> a.column() + " = " + a.expression()).collect(Collectors.joining(", "));
        String conflict = updates.isEmpty() ? "DO NOTHING"
                : "DO UPDATE SET " + set + (changedCondition == null ? "" : " WHERE " + changedCondition);
        return "INSERT INTO " + table + " AS t (" + String.join(", ", columns) + ") VALUES (" + placeholders + ")"
                + " ON CONFLICT (" + String.join(", ", keyColumns) + ") " + conflict;
    }

    @Override
    public NewRows newRows(Connection connection, String table, List<String> columns, int[] jdbcTypes)
            throws SQLException {
        return new CopiedRows(connection, table, columns);
    }

    @Override
    public IdentityRows identityRows(String table, String idColumn, List<String> columns, int[] jdbcTypes) {
        return new ReservedIdRows(table, idColumn, columns, jdbcTypes);
    }
}
