package com.dce.etl.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import com.dce.etl.mapping.CallMapping;
import com.dce.etl.mapping.DceColumn;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.mapping.MappingFileParser;
import com.dce.etl.mapping.ProviderJson;
import com.dce.etl.mapping.RecordContext;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The ceiling the pipeline is measured against: the same records, already mapped (mapping is not timed), written
 * with a plain JDBC batched upsert (last write wins, no merge rule, no key resolution) into an identical
 * {@code dce_calls} table of the same database engine, one transaction per page. Only the database work is timed.
 */
final class RawUpsertCeiling {
    private static final RecordContext CONTEXT = new RecordContext("poll", OffsetDateTime.now(ZoneOffset.UTC));

    private RawUpsertCeiling() {
    }

    /** Rows per second of database time. */
    static double measure(HikariDataSource dataSource, boolean postgres, long records, int pageSize) throws Exception {
        CallMapping mapping = MappingFileParser.parse(Path.of("config/mappings/trackdrive.yaml"));
        List<String> columns = new ArrayList<>(List.of("provider", "external_call_id"));
        List<DceColumn> data = List.of(DceColumn.values()).stream()
                .filter(c -> c != DceColumn.EXTERNAL_CALL_ID).toList();
        data.forEach(c -> columns.add(c.columnName()));
        columns.addAll(List.of("source_payload", "ingest_channel", "first_seen_at", "last_updated_at"));
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
                    List<MappedCall> page = new ArrayList<>(pageSize);
                    for (long i = from; i < Math.min(records, from + pageSize); i++) {
                        String text = GeneratedCalls.json(i);
                        page.add(mapping.map(ProviderJson.read(text), text, CONTEXT));
                    }
                    long started = System.nanoTime();
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    for (MappedCall call : page) {
                        int p = 1;
                        statement.setString(p++, "trackdrive");
                        statement.setString(p++, call.externalCallId());
                        for (DceColumn column : data) {
                            Object value = call.get(column);
                            if (value == null) {
                                statement.setNull(p++, sqlType(column));
                            } else {
                                statement.setObject(p++, value);
                            }
                        }
                        statement.setString(p++, call.sourcePayload());
                        statement.setString(p++, "poll");
                        statement.setObject(p++, now);
                        statement.setObject(p, now);
                        statement.addBatch();
                    }
                    statement.executeBatch();
                    connection.commit();
                    nanos += System.nanoTime() - started;
                }
            }
        }
        return records / (nanos / 1e9);
    }

    private static int sqlType(DceColumn column) {
        return switch (column.type()) {
            case TEXT, JSON -> Types.VARCHAR;
            case INTEGER -> Types.INTEGER;
            case DECIMAL -> Types.DECIMAL;
            case BOOLEAN -> Types.BOOLEAN;
            case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
            case PHONE_LIST -> throw new IllegalStateException(column + " holds no list");
        };
    }
}
