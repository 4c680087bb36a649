package com.dce.etl.bench;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.dce.etl.db.RowBinding;
import com.dce.etl.mapping.CallMapping;
import com.dce.etl.mapping.DceColumn;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.mapping.MappingFileParser;
import com.dce.etl.mapping.ProviderJson;
import com.dce.etl.mapping.RecordContext;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The generated records as the baselines write them: mapped with TrackDrive's mapping file (not timed), into the
 * columns of {@code dce_calls} in one order, bound as JDBC parameters.
 */
final class MappedRows {
    private static final RecordContext CONTEXT = new RecordContext("poll", OffsetDateTime.now(ZoneOffset.UTC));
    /** Every data column but the key, in the order of {@link #columns()}. */
    static final List<DceColumn> DATA = List.of(DceColumn.values()).stream()
            .filter(c -> c != DceColumn.EXTERNAL_CALL_ID).toList();

    /** The JDBC type of each of {@link #columns()}, for NULLs. */
    static final int[] JDBC_TYPES = columns().stream().mapToInt(DceColumn::jdbcTypeOf).toArray();

    private final CallMapping mapping;

    MappedRows() {
        this.mapping = MappingFileParser.parse(Path.of("config/mappings/trackdrive.yaml"));
    }

    static List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("provider", "external_call_id"));
        DATA.forEach(c -> columns.add(c.columnName()));
        columns.addAll(List.of("source_payload", "ingest_channel", "first_seen_at", "last_updated_at"));
        return columns;
    }

    /** One record mapped as the service maps it. */
    MappedCall map(JsonNode json, String text) throws Exception {
        return mapping.map(json, text, CONTEXT);
    }

    /** Records {@code from} up to {@code to} (exclusive), mapped. */
    List<MappedCall> page(long from, long to) throws Exception {
        List<MappedCall> page = new ArrayList<>((int) (to - from));
        for (long i = from; i < to; i++) {
            String text = GeneratedCalls.json(i);
            page.add(map(ProviderJson.read(text), text));
        }
        return page;
    }

    /** One row's values in the order of {@link #columns()}. */
    static Object[] values(MappedCall call, OffsetDateTime now) {
        List<Object> values = new ArrayList<>(List.of("trackdrive", call.externalCallId()));
        DATA.forEach(column -> values.add(call.get(column)));
        values.add(call.sourcePayload());
        values.addAll(List.of("poll", now, now));
        return values.toArray();
    }

    /** Binds one row's parameters in the order of {@link #columns()} and adds it to the batch. */
    static void addBatch(PreparedStatement statement, MappedCall call, OffsetDateTime now) throws SQLException {
        RowBinding.bind(statement, values(call, now), JDBC_TYPES);
        statement.addBatch();
    }
}
