package com.dce.etl.bench;

import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import com.dce.etl.mapping.DceColumn;
import com.dce.etl.mapping.MappedCall;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The physical limit beside the batched-upsert ceiling: the same mapped records written the fastest way the engine
 * has into an identical empty {@code dce_calls}, one page per transaction: PostgreSQL's {@code COPY FROM STDIN}
 * (pgjdbc's CopyManager, CSV), H2's plain batched {@code INSERT} (no key lookup, no merge). Only database time counts.
 */
final class BulkInsertBaseline {
    private BulkInsertBaseline() {
    }

    /** Rows per second of database time. */
    static double measure(HikariDataSource dataSource, boolean postgres, long records, int pageSize) throws Exception {
        MappedRows rows = new MappedRows();
        List<String> columns = MappedRows.columns();
        long nanos = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            CopyManager copy = postgres ? connection.unwrap(PGConnection.class).getCopyAPI() : null;
            String copySql = "COPY dce_calls (" + String.join(", ", columns) + ") FROM STDIN WITH (FORMAT csv)";
            try (PreparedStatement insert = postgres ? null : connection.prepareStatement("INSERT INTO dce_calls ("
                    + String.join(", ", columns) + ") VALUES (" + String.join(", ", Collections.nCopies(
                            columns.size(), "?")) + ")")) {
                for (long from = 0; from < records; from += pageSize) {
                    List<MappedCall> page = rows.page(from, Math.min(records, from + pageSize));
                    long started = System.nanoTime();
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    if (postgres) {
                        copy.copyIn(copySql, new StringReader(csv(page, now)));
                    } else {
                        for (MappedCall call : page) {
                            MappedRows.addBatch(insert, call, now);
                        }
                        insert.executeBatch();
                    }
                    connection.commit();
                    nanos += System.nanoTime() - started;
                }
            }
        }
        return records / (nanos / 1e9);
    }

    /** The page as CSV in the order of {@link MappedRows#columns()}: NULL is an unquoted empty field. */
    private static String csv(List<MappedCall> page, OffsetDateTime now) {
        StringBuilder csv = new StringBuilder(page.size() * 1200);
        for (MappedCall call : page) {
            field(csv, "trackdrive", true);
            field(csv, call.externalCallId(), false);
            for (DceColumn column : MappedRows.DATA) {
                field(csv, call.get(column), false);
            }
            field(csv, call.sourcePayload(), false);
            field(csv, "poll", false);
            field(csv, now, false);
            field(csv, now, false);
            csv.append('\n');
        }
        return csv.toString();
    }

    private static void field(StringBuilder csv, Object value, boolean first) {
        if (!first) {
            csv.append(',');
        }
        if (value == null) {
            return;
        }
        String text = value instanceof BigDecimal number ? number.toPlainString() : value.toString();
        csv.append('"').append(text.replace("\"", "\"\"")).append('"');
    }
}
