package com.dce.etl.mapping.transform;

import java.math.BigDecimal;
import java.math.RoundingMode;

import com.dce.etl.mapping.FieldTransform;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.ValueType;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A money amount for a {@code decimal(14,4)} column, from a JSON number or a decimal string ("12.50", "$12.50");
 * rounded half-up to four places. Amounts that do not fit the column are refused rather than truncated.
 */
public final class DecimalTransform implements FieldTransform {
    private static final BigDecimal LIMIT = BigDecimal.TEN.pow(10);
    private static final int SCALE = 4;

    @Override
    public ValueType output() {
        return ValueType.DECIMAL;
    }

    @Override
    public Object apply(JsonNode value) throws ValueRejected {
        BigDecimal amount;
        if (value.isNumber()) {
            amount = value.decimalValue();
        } else if (value.isTextual()) {
            amount = parse(value.asText().trim());
        } else {
            throw new ValueRejected("expected a decimal, got " + Describe.kind(value));
        }
        if (amount.abs().compareTo(LIMIT) >= 0) {
            throw new ValueRejected("amount " + Describe.shorten(amount.toPlainString()) + " does not fit decimal(14,4)");
        }
        return amount.setScale(SCALE, RoundingMode.HALF_UP);
    }

    private static BigDecimal parse(String text) throws ValueRejected {
        String digits = text.startsWith("$") ? text.substring(1) : text;
        digits = digits.replace(",", "");
        if (digits.length() > 64) {
            throw new ValueRejected("cannot read '" + Describe.shorten(text) + "' as a decimal");
        }
        try {
            return new BigDecimal(digits);
        } catch (NumberFormatException e) {
            throw new ValueRejected("cannot read '" + Describe.shorten(text) + "' as a decimal");
        }
    }
}
