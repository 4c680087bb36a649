package com.dce.etl.sink;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.db.SqlDialect.Assignment;
import com.dce.etl.mapping.DceColumn;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.mapping.StatusVocabulary;

/**
 * The upsert of one call into {@code dce_calls} with the SPEC merge rule, written once as SQL expressions for both
 * databases:
 * <ul>
 * <li>a non-null incoming value replaces the stored one; a null never erases one;</li>
 * <li>an incoming record that is older than the stored one (by the provider's {@code source_updated_at}, or because
 * it is {@code in_progress} while the row is already terminal) only fills gaps: so out-of-order deliveries end in the
 * same row, and a terminal status never goes back to {@code in_progress};</li>
 * <li>an {@code unknown} status does not replace a known one;</li>
 * <li>the row is only touched when a value changes, so a duplicate changes nothing, not even
 * {@code last_updated_at}.</li>
 * </ul>
 */
final class CallUpsertStatement {
    private static final String KEY = "external_call_id";
    private static final List<String> TEXT_COLUMNS = List.of("call_transcript", "custom_data", "source_payload");

    private final List<DceColumn> dataColumns;
    private final List<String> columns;
    private final int[] jdbcTypes;
    private final String sql;

    CallUpsertStatement(SqlDialect dialect) {
        this.dataColumns = List.of(DceColumn.values()).stream()
                .filter(column -> column != DceColumn.EXTERNAL_CALL_ID)
                .toList();
        this.columns = new ArrayList<>(List.of("provider", KEY));
        dataColumns.forEach(column -> columns.add(column.columnName()));
        columns.addAll(List.of("source_payload", "source_hash", "ingest_channel", "first_seen_at", "last_updated_at"));
        this.jdbcTypes = columns.stream().mapToInt(DceColumn::jdbcTypeOf).toArray();
        this.sql = build(dialect);
    }

    /** The upsert with the merge rule, for calls that may already have a row. */
    String sql() {
        return sql;
    }

    /** The columns {@link #values} and the upsert's parameters follow. */
    List<String> columns() {
        return columns;
    }

    /** The JDBC type of each column, for NULLs (shared: callers must not change it). */
    int[] jdbcTypes() {
        return jdbcTypes;
    }

    private String build(SqlDialect dialect) {
        String s = dialect.incoming();
        List<String> types = columns.stream().map(CallUpsertStatement::sqlType).toList();

        String terminal = StatusVocabulary.TERMINAL.stream().map(w -> "'" + w + "'").collect(Collectors.joining(", "));
        String stale = "((" + s + ".source_updated_at < t.source_updated_at) OR (" + s + ".call_status = '"
                + StatusVocabulary.IN_PROGRESS + "' AND t.call_status IN (" + terminal + ")))";
        String keepStatus = "(" + stale + " OR " + s + ".call_status IS NULL OR (" + s + ".call_status = '"
                + StatusVocabulary.UNKNOWN + "' AND t.call_status IS NOT NULL))";

        List<Assignment> merged = new ArrayList<>();
        for (DceColumn column : dataColumns) {
            String c = column.columnName();
            String condition = column == DceColumn.CALL_STATUS || column == DceColumn.PROVIDER_STATUS
                    ? keepStatus : stale;
            merged.add(new Assignment(c, "CASE WHEN " + condition + " THEN COALESCE(t." + c + ", " + s + "." + c
                    + ") ELSE COALESCE(" + s + "." + c + ", t." + c + ") END"));
        }
        merged.add(new Assignment("source_payload",
                "CASE WHEN " + stale + " THEN t.source_payload ELSE " + s + ".source_payload END"));
        // the digest of the record the row now stands for (as source_payload): merging that record again changes
        // nothing, also after an older one filled gaps, and the row is the same whatever order records came in
        merged.add(new Assignment("source_hash",
                "CASE WHEN " + stale + " THEN t.source_hash ELSE " + s + ".source_hash END"));
        String changed = merged.stream()
                .map(a -> "(" + a.expression() + ") IS DISTINCT FROM t." + a.column())
                .collect(Collectors.joining(" OR "));

        List<Assignment> updates = new ArrayList<>(merged);
        updates.add(new Assignment("ingest_channel", s + ".ingest_channel"));
        updates.add(new Assignment("last_updated_at", s + ".last_updated_at"));
        return dialect.upsert("dce_calls", List.of("provider", KEY), columns, types, updates, changed);
    }

    /**
     * One call and its {@link MappedCall#digest} as the values of {@link #columns}: the upsert's parameters, or a new
     * row as it is.
     */
    Object[] values(MappedCall call, String digest, String channel, OffsetDateTime now) {
        Object[] values = new Object[columns.size()];
        int i = 0;
        values[i++] = call.provider();
        values[i++] = call.externalCallId();
        for (DceColumn column : dataColumns) {
            values[i++] = call.get(column);
        }
        values[i++] = call.sourcePayload();
        values[i++] = digest;
        values[i++] = channel;
        values[i++] = now;
        values[i] = now;
        return values;
    }

    private static String sqlType(String column) {
        if (TEXT_COLUMNS.contains(column)) {
            return "CLOB";
        }
        return DceColumn.byName(column).map(c -> switch (c.type()) {
            case TEXT, JSON -> "VARCHAR";
            case INTEGER -> "INTEGER";
            case DECIMAL -> "DECIMAL(14, 4)";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMP WITH TIME ZONE";
            case PHONE_LIST -> throw new IllegalStateException(c + " holds no list");
        }).orElse(column.endsWith("_at") ? "TIMESTAMP WITH TIME ZONE" : "VARCHAR");
    }
}
