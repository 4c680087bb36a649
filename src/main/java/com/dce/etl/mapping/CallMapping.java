package com.dce.etl.mapping;

import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A provider's mapping file, ready to translate records into {@link MappedCall}s. */
public final class CallMapping {
    static final int MAX_KEY_LENGTH = 255;

    private final String provider;
    private final List<String> unwrapKeys;
    private final ZoneId timezone;
    private final List<ColumnRule> rules;
    private final List<SourcePath> keySources;

    CallMapping(String provider, List<String> unwrapKeys, ZoneId timezone, List<ColumnRule> rules) {
        this.provider = provider;
        this.unwrapKeys = List.copyOf(unwrapKeys);
        this.timezone = timezone;
        this.rules = List.copyOf(rules);
        this.keySources = rules.stream()
                .filter(rule -> rule.column() == DceColumn.EXTERNAL_CALL_ID || rule.column() == DceColumn.CALL_UUID)
                .flatMap(rule -> rule.sources().stream())
                .toList();
    }

    public String provider() {
        return provider;
    }

    /** The file's {@code timezone}: how its provider's times without an offset are read. */
    public ZoneId timezone() {
        return timezone;
    }

    /**
     * Maps one record. {@code rawText} is what is kept as {@code source_payload}; it is the record as received.
     * {@code context} answers the mapping file's pipeline fields ({@code $channel}, {@code $received_at}).
     */
    public MappedCall map(JsonNode record, String rawText, RecordContext context) throws RecordRejected {
        if (record == null || !record.isObject()) {
            throw new RecordRejected(ReasonCode.MAPPING_ERROR, "record is not a JSON object");
        }
        JsonNode call = unwrap(record);
        EnumMap<DceColumn, Object> values = new EnumMap<>(DceColumn.class);
        for (ColumnRule rule : rules) {
            try {
                Object value = rule.extract(call, context);
                if (value != null) {
                    values.put(rule.column(), value);
                }
            } catch (ValueRejected e) {
                throw new RecordRejected(ReasonCode.MAPPING_ERROR,
                        rule.column().columnName() + " (from " + rule.describeSource() + "): " + e.getMessage());
            }
        }
        checkKeys(values);
        return new MappedCall(provider, values, rawText);
    }

    /**
     * Webhook envelopes hold the call under a key such as {@code call} or {@code data}. A record is unwrapped only
     * when it does not carry the key fields itself, so a call that merely has a field named {@code data} stays whole.
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

    private static void checkKeys(EnumMap<DceColumn, Object> values) throws RecordRejected {
        Object id = values.get(DceColumn.EXTERNAL_CALL_ID);
        Object uuid = values.get(DceColumn.CALL_UUID);
        if (id == null && uuid == null) {
            throw new RecordRejected(ReasonCode.MISSING_ID, "record has no call id");
        }
        for (Object key : new Object[] {id, uuid}) {
            if (key != null && key.toString().length() > MAX_KEY_LENGTH) {
                throw new RecordRejected(ReasonCode.MAPPING_ERROR,
                        "call id is longer than " + MAX_KEY_LENGTH + " characters");
            }
        }
    }
}
