package com.dce.etl.mapping;

import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A mapping file, ready to translate a provider's records into the columns of its {@link TargetSchema}: the record is
 * taken out of its envelope, then each column rule extracts its value through its transform. A value a transform
 * refuses rejects the record as {@code MAPPING_ERROR}, naming the column and its source.
 */
public final class RecordMapping<C extends Enum<C> & TargetColumn> {
    private final String provider;
    private final TargetSchema<C> schema;
    private final List<String> unwrapKeys;
    private final ZoneId timezone;
    private final List<ColumnRule> rules;
    private final List<SourcePath> keySources;

    RecordMapping(String provider, TargetSchema<C> schema, List<String> unwrapKeys, ZoneId timezone,
            List<ColumnRule> rules, List<C> keyColumns) {
        this.provider = provider;
        this.schema = schema;
        this.unwrapKeys = List.copyOf(unwrapKeys);
        this.timezone = timezone;
        this.rules = List.copyOf(rules);
        this.keySources = rules.stream().filter(rule -> keyColumns.contains(rule.column()))
                .flatMap(rule -> rule.sources().stream()).toList();
    }

    public String provider() {
        return provider;
    }

    public TargetSchema<C> schema() {
        return schema;
    }

    /** The file's {@code timezone}: how its provider's times without an offset are read. */
    public ZoneId timezone() {
        return timezone;
    }

    public EnumMap<C, Object> map(JsonNode record, RecordContext context) throws RecordRejected {
        if (record == null || !record.isObject()) {
            throw new RecordRejected(ReasonCode.MAPPING_ERROR, "record is not a JSON object");
        }
        JsonNode unwrapped = unwrap(record);
        EnumMap<C, Object> values = new EnumMap<>(schema.columns());
        for (ColumnRule rule : rules) {
            try {
                Object value = rule.extract(unwrapped, context);
                if (value instanceof String text && text.length() > rule.column().maxLength()
                        && text.codePointCount(0, text.length()) > rule.column().maxLength()) {
                    throw new ValueRejected(text.codePointCount(0, text.length()) + " characters, the column holds "
                            + rule.column().maxLength());
                }
                if (value != null) {
                    values.put(schema.columns().cast(rule.column()), value);
                }
            } catch (ValueRejected e) {
                throw new RecordRejected(ReasonCode.MAPPING_ERROR,
                        rule.column().columnName() + " (from " + rule.describeSource() + "): " + e.getMessage());
            }
        }
        return values;
    }

    /**
     * Envelopes hold the record under a key such as {@code call} or {@code data}. A record is unwrapped only when it
     * does not carry the key fields itself, so a call that merely has a field named {@code data} stays whole.
     */
    private JsonNode unwrap(JsonNode record) {
        boolean hasOwnKey = keySources.stream().anyMatch(source -> source.presentValue(record) != null);
        if (hasOwnKey) {
            return record;
        }
        for (String key : unwrapKeys) {
            JsonNode inner = record.get(key);
            if (inner != null && inner.isObject()) {
                return inner;
            }
        }
        return record;
    }
}
