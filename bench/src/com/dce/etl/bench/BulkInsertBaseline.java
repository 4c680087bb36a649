package com.dce.etl.bench;

import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import com.dce.etl.mapping.CallMapping;
import com.dce.etl.mapping.DceColumn;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.mapping.MappingFileParser;
import com.dce.etl.mapping.ProviderJson;
import com.dce.etl.mapping.RecordContext;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The physical limit beside the batched-upsert ceiling: the same mapped records written the fastest way the engine
 * has into an identical empty {@code dce_calls}, one page per transaction: PostgreSQL's {@code COPY FROM STDIN}
 * (pgjdbc's CopyManager, CSV), H2's plain batched {@code INSERT} (no key lookup, no merge). Only database time counts.
 */
final class BulkInsertBaseline {
    private static final RecordContext CONTEXT = new RecordContext("poll", OffsetDateTime.now(ZoneOffset.UTC));

    private BulkInsertBaseline() {
    }

    /** Rows per second of database time. */
    static double measure(HikariDataSource dataSource, boolean postgres, long records, int pageSize) throws Exception {
        CallMapping mapping = MappingFileParser.parse(Path.of("config/mappings/trackdrive.yaml"));
        List<DceColumn> data = List.of(DceColumn.values()).stream()
                .filter(c -> c != DceColumn.EXTERNAL_CALL_ID).toList();
        List<String> columns = new ArrayList<>(List.of("provider", "external_call_id"));
        data.forEach(c -> columns.add(c.columnName()));
        columns.addAll(List.of("source_payload", "ingest_channel", "first_seen_at", "last_updated_at"));
        long nanos = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            CopyManager copy = postgres ? connection.unwrap(PGConnection.class).getCopyAPI() : null;
            String copySql = "COPY dce_calls (" + String.join(", ", columns) + ") FROM STDIN WITH (FORMAT csv)";
            try (PreparedStatement insert = postgres ? null : connection.prepareStatement("INSERT INTO dce_calls ("
                    + String.join(", ", columns) + ") VALUES (" + String.join(", ", Collections.nCopies(
                            columns.size(), "?")) + ")")) {
                for (long from = 0; from < records; from += pageSize) {
                    List<MappedCall> page = new ArrayList<>(pageSize);
                    for (long i = from; i < Math.min(records, from + pageSize); i++) {
                        String text = GeneratedCalls.json(i);
                        page.add(mapping.map(ProviderJson.read(text), text, CONTEXT));
                    }
                    long started = System.nanoTime();
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    if (postgres) {
                        copy.copyIn(copySql, new StringReader(csv(page, data, now)));
                    } else {
                        for (MappedCall call : page) {
                            int p = 1;
                            insert.setString(p++, "trackdrive");
                            insert.setString(p++, call.externalCallId());
                            for (DceColumn column : data) {
                                insert.setObject(p++, call.get(column));
                            }
                            insert.setString(p++, call.sourcePayload());
                            insert.setString(p++, "poll");
                            insert.setObject(p++, now);
                            insert.setObject(p, now);
                            insert.addBatch();
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

    /** The page as CSV: NULL is an unquoted empty field, every value quoted otherwise. */
    private static String csv(List<MappedCall> page, List<DceColumn> data, OffsetDateTime now) {
        StringBuilder csv = new StringBuilder(page.size() * 1200);
        for (MappedCall call : page) {
            field(csv, "trackdrive", true);
            field(csv, call.externalCallId(), false);
            for (DceColumn column : data) {
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
        String text = value instanceof java.math.BigDecimal number ? number.toPlainString() : value.toString();
        csv.append('"').append(text.replace("\"", "\"\"")).append('"');
    }
}
