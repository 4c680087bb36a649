package com.dce.etl.mapping.transform;

import java.math.BigDecimal;
import java.math.RoundingMode;

import com.dce.etl.mapping.FieldTransform;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.ValueType;
import com.fasterxml.jackson.databind.JsonNode;

/** A duration in whole seconds from a number or numeric string ("13", 13.6 rounds to 14); never negative. */
public final class SecondsTransform implements FieldTransform {

    @Override
    public ValueType output() {
        return ValueType.INTEGER;
    }

    @Override
    public Object apply(JsonNode value) throws ValueRejected {
        BigDecimal seconds;
        String shown = value.asText().trim();
        if (value.isNumber()) {
            seconds = value.decimalValue();
        } else if (value.isTextual() && shown.length() <= 20) {
            try {
                seconds = new BigDecimal(shown);
            } catch (NumberFormatException e) {
                throw new ValueRejected("cannot read " + Describe.kind(value) + " as seconds");
            }
        } else {
            throw new ValueRejected("cannot read " + Describe.kind(value) + " as seconds");
        }
        // an integer column: 10 digits before the point at most, and no more fraction than anyone measures
        seconds = BoundedNumber.of(seconds, 10, 20, shown, "duration");
        if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new ValueRejected("duration " + Describe.shorten(shown) + " s is out of range");
        }
        return seconds.setScale(0, RoundingMode.HALF_UP).intValueExact();
    }
}
