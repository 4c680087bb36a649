package com.dce.etl.mapping.transform;

import com.dce.etl.mapping.FieldTransform;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.ValueType;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Text as is (trimmed, without NUL characters, which PostgreSQL cannot store in text); numbers and booleans become
 * their text, objects and arrays are refused.
 */
public final class TextTransform implements FieldTransform {

    @Override
    public ValueType output() {
        return ValueType.TEXT;
    }

    @Override
    public Object apply(JsonNode value) throws ValueRejected {
        if (!value.isValueNode()) {
            throw new ValueRejected("expected text, got " + Describe.kind(value));
        }
        String text = value.asText();
        return (text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "")).trim();
    }
}
