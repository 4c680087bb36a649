package com.dce.etl.mapping.transform;

import java.util.ArrayList;
import java.util.List;

import com.dce.etl.mapping.FieldTransform;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.ValueType;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every phone number in the listed sources, single values or arrays of them, as one list of distinct E.164 numbers;
 * invalid numbers are left out (as {@code phone} makes them NULL). A tracker with a pool of numbers lists them all.
 */
public final class PhonesTransform implements FieldTransform {
    private final PhoneTransform phone;

    public PhonesTransform(PhoneTransform phone) {
        this.phone = phone;
    }

    @Override
    public ValueType output() {
        return ValueType.PHONE_LIST;
    }

    @Override
    public boolean collectsAllSources() {
        return true;
    }

    @Override
    public Object apply(JsonNode collected) throws ValueRejected {
        List<String> numbers = new ArrayList<>();
        for (JsonNode source : collected) {
            for (JsonNode value : source.isArray() ? source : List.of(source)) {
                Object number = value.isTextual() || value.isNumber() ? phone.apply(value) : null;
                if (number != null && !numbers.contains(number)) {
                    numbers.add((String) number);
                }
            }
        }
        return List.copyOf(numbers);
    }
}
