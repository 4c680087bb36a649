package com.dce.etl.mapping.transform;

import java.math.BigDecimal;

import com.dce.etl.mapping.FieldTransform;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.ValueType;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call id in one text form, so one call is one row however its id is written: a number is written as an integer
 * when it is one ({@code 100}, {@code 100.00} and {@code 1e2} are all {@code 100}), text is kept as sent (trimmed).
 * Ids holding control, bidi or zero-width characters are refused: they would look like another call's id to a person
 * and not to the database.
 */
public final class IdTransform implements FieldTransform {

    @Override
    public ValueType output() {
        return ValueType.TEXT;
    }

    @Override
    public Object apply(JsonNode value) throws ValueRejected {
        if (value.isNumber()) {
            BigDecimal id = BoundedNumber.of(value, 40, 20, "id").stripTrailingZeros();
            return id.scale() <= 0 ? id.toBigIntegerExact().toString() : id.toPlainString();
        }
        if (!value.isTextual()) {
            throw new ValueRejected("expected an id, got " + Describe.kind(value));
        }
        String id = value.asText().strip();
        for (int i = 0; i < id.length(); i++) {
            int type = Character.getType(id.charAt(i));
            if (type == Character.CONTROL || type == Character.FORMAT) {
                throw new ValueRejected("id holds an invisible or control character (U+"
                        + String.format("%04X", (int) id.charAt(i)) + ")");
            }
        }
        return id;
    }
}
