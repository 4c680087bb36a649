package com.dce.etl.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import com.dce.etl.mapping.MappedCall;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The ceiling the pipeline is measured against: the same records, already mapped (mapping is not timed), written
 * with a plain JDBC batched upsert (last write wins, no merge rule, no key resolution) into an identical
 * {@code dce_calls} table of the same database engine, one transaction per page. Only the database work is timed.
 */
final class RawUpsertCeiling {
    private RawUpsertCeiling() {
    }

    /** Rows per second of database time. */
    static double measure(HikariDataSource dataSource, boolean postgres, long records, int pageSize) throws Exception {
        MappedRows rows = new MappedRows();
        List<String> columns = MappedRows.columns();
        String placeholders = String.join(", ", Collections.nCopies(columns.size(), "?"));
        String sql = postgres
                ? "INSERT INTO dce_calls (" + String.join(", ", columns) + ") VALUES (" + placeholders + ")"
                        + " ON CONFLICT (provider, external_call_id) DO UPDATE SET " + columns.stream().skip(2)
                                .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "))
                : "MERGE INTO dce_calls (" + String.join(", ", columns) + ") KEY (provider, external_call_id) VALUES ("
                        + placeholders + ")";
        long nanos = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (long from = 0; from < records; from += pageSize) {
                    List<MappedCall> page = rows.page(from, Math.min(records, from + pageSize));
                    long started = System.nanoTime();
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    for (MappedCall call : page) {
                        MappedRows.addBatch(statement, call, now);
                    }
                    statement.executeBatch();
                    connection.commit();
                    nanos += System.nanoTime() - started;
                }
            }
        }
        return records / (nanos / 1e9);
    }
}
