package com.dce.etl.mapping.transform;

import java.util.Locale;
import java.util.Set;

import com.dce.etl.mapping.FieldTransform;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.ValueType;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * true/false from JSON booleans, 1/0, and the words providers put in their exports ("yes", "Converted",
 * "Not Converted"...). Any other word is refused: guessing would silently flip revenue flags.
 */
public final class BooleanTransform implements FieldTransform {
    private static final Set<String> TRUE_WORDS = Set.of("true", "t", "yes", "y", "1", "converted", "on");
    private static final Set<String> FALSE_WORDS =
            Set.of("false", "f", "no", "n", "0", "not converted", "not_converted", "unconverted", "off");

    @Override
    public ValueType output() {
        return ValueType.BOOLEAN;
    }

    @Override
    public Object apply(JsonNode value) throws ValueRejected {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber() && (value.asLong() == 0 || value.asLong() == 1)) {
            return value.asLong() == 1;
        }
        if (value.isTextual()) {
            String word = value.asText().trim().toLowerCase(Locale.ROOT);
            if (TRUE_WORDS.contains(word)) {
                return Boolean.TRUE;
            }
            if (FALSE_WORDS.contains(word)) {
                return Boolean.FALSE;
            }
        }
        throw new ValueRejected("cannot read " + Describe.kind(value) + " as a boolean");
    }
}
