package com.dce.etl.mapping;

import java.time.ZoneId;
import java.util.EnumMap;

import com.fasterxml.jackson.databind.JsonNode;

/** A provider's call mapping file ({@code <provider>.yaml}), ready to translate records into {@link MappedCall}s. */
public final class CallMapping {
    private final RecordMapping<DceColumn> mapping;

    public CallMapping(RecordMapping<DceColumn> mapping) {
        this.mapping = mapping;
    }

    public String provider() {
        return mapping.provider();
    }

    /** The file's {@code timezone}: how its provider's times without an offset are read. */
    public ZoneId timezone() {
        return mapping.timezone();
    }

    /**
     * Maps one record. {@code rawText} is what is kept as {@code source_payload}; it is the record as received.
     * {@code context} answers the mapping file's pipeline fields ({@code $channel}, {@code $received_at}).
     */
    public MappedCall map(JsonNode record, String rawText, RecordContext context) throws RecordRejected {
        EnumMap<DceColumn, Object> values = mapping.map(record, context);
        checkKeys(values);
        return new MappedCall(mapping.provider(), values, rawText);
    }

    private static void checkKeys(EnumMap<DceColumn, Object> values) throws RecordRejected {
        Object id = values.get(DceColumn.EXTERNAL_CALL_ID);
        Object uuid = values.get(DceColumn.CALL_UUID);
        if (id == null && uuid == null) {
            throw new RecordRejected(ReasonCode.MISSING_ID, "record has no call id");
        }
    }
}
