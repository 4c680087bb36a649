package com.dce.etl.mapping;

import java.util.EnumMap;
import java.util.Map;

/** One provider record translated into DCE columns, with the raw record kept for lineage. */
public final class MappedCall {
    private final String provider;
    private final EnumMap<DceColumn, Object> values;
    private final String sourcePayload;
    /** {@link CallDigest} of the values as they are now; null until asked for, and again after any change. */
    private String digest;

    public MappedCall(String provider, Map<DceColumn, Object> values, String sourcePayload) {
        this.provider = provider;
        this.values = values.isEmpty() ? new EnumMap<>(DceColumn.class) : new EnumMap<>(values);
        this.sourcePayload = sourcePayload;
    }

    public String provider() {
        return provider;
    }

    public Object get(DceColumn column) {
        return values.get(column);
    }

    public void set(DceColumn column, Object value) {
        digest = null;
        if (value == null) {
            values.remove(column);
        } else {
            values.put(column, value);
        }
    }

    /** A copy keyed by {@code externalCallId}; this call stays as it is. */
    public MappedCall withExternalCallId(String externalCallId) {
        MappedCall copy = new MappedCall(provider, values, sourcePayload);
        copy.set(DceColumn.EXTERNAL_CALL_ID, externalCallId);
        return copy;
    }

    public String externalCallId() {
        return (String) values.get(DceColumn.EXTERNAL_CALL_ID);
    }

    public String callUuid() {
        return (String) values.get(DceColumn.CALL_UUID);
    }

    public String sourcePayload() {
        return sourcePayload;
    }

    /**
     * The {@link CallDigest} of this call as it is now. Remembered until a value changes: mapping computes it on the
     * threads that map a page ahead, so the single thread storing pages (the bulk load's critical path, where a flight
     * recording put it at 6-10% of the samples) only compares it.
     */
    public String digest() {
        if (digest == null) {
            digest = CallDigest.of(this);
        }
        return digest;
    }
}
