package com.dce.etl.mapping;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns one present (non-null, non-empty) source value into a column value of {@link #output()}. */
public interface FieldTransform {

    ValueType output();

    Object apply(JsonNode value) throws ValueRejected;

    /**
     * Whether the transform wants every listed source at once, as an object keyed by source name, instead of the
     * first present one.
     */
    default boolean collectsAllSources() {
        return false;
    }
}
