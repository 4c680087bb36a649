package com.dce.etl.db;

import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * PostgreSQL: {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE}, which is safe under concurrent inserts of the same
 * key, and which pgjdbc folds into multi-row inserts when {@code reWriteBatchedInserts=true}.
 */
final class PostgresDialect implements SqlDialect {

    @Override
    public String incoming() {
        return "EXCLUDED";
    }

    @Override
    public String upsert(String table, List<String> keyColumns, List<String> columns, List<String> sqlTypes,
            List<Assignment> updates, String changedCondition) {
        String placeholders = String.join(", ", Collections.nCopies(columns.size(), "?"));
        String set = updates.stream().map(a -> a.column() + " = " + a.expression()).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " AS t (" + String.join(", ", columns) + ") VALUES (" + placeholders + ")"
                + " ON CONFLICT (" + String.join(", ", keyColumns) + ") DO UPDATE SET " + set
                + " WHERE " + changedCondition;
    }
}
