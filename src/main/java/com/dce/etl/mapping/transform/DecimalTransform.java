package com.dce.etl.mapping.transform;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.dce.etl.mapping.FieldTransform;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.ValueType;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A money amount for a {@code decimal(14,4)} column, from a JSON number or a decimal string ("12.50", "$12.50",
 * "$1,234.50"); rounded half-up to four places. A comma is read only as a thousands separator between groups of three
 * digits: "12,50" could be twelve and a half or 1,250, so it is refused rather than guessed. Amounts that do not fit
 * the column once rounded are refused rather than truncated.
 */
public final class DecimalTransform implements FieldTransform {
    private static final BigDecimal LIMIT = BigDecimal.TEN.pow(10);
    private static final int SCALE = 4;
    /** decimal(14,4) holds 10 digits before the point; more than 20 after it is no amount of money. */
    private static final int INTEGER_DIGITS = 10;
    private static final int FRACTION_DIGITS = 20;
    /** Digits with commas only between thousands groups, a point for the fraction; an optional sign and dollar. */
    private static final Pattern AMOUNT =
            Pattern.compile("([+-]?)\\$?((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)");

    @Override
    public ValueType output() {
        return ValueType.DECIMAL;
    }

    @Override
    public Object apply(JsonNode value) throws ValueRejected {
        BigDecimal amount;
        String shown;
        if (value.isNumber()) {
            amount = value.decimalValue();
            shown = value.asText();
        } else if (value.isTextual()) {
            shown = value.asText().trim();
            amount = parse(shown);
        } else {
            throw new ValueRejected("expected a decimal, got " + Describe.kind(value));
        }
        BigDecimal rounded = BoundedNumber.of(amount, INTEGER_DIGITS, FRACTION_DIGITS, shown, "amount")
                .setScale(SCALE, RoundingMode.HALF_UP);
        if (rounded.abs().compareTo(LIMIT) >= 0) {
            throw new ValueRejected("amount " + Describe.shorten(shown) + " does not fit decimal(14,4)");
        }
        return rounded;
    }

    private static BigDecimal parse(String text) throws ValueRejected {
        Matcher amount = text.length() <= 64 ? AMOUNT.matcher(text) : null;
        if (amount == null || !amount.matches() || amount.group(2).isEmpty()) {
            throw new ValueRejected("cannot read '" + Describe.shorten(text) + "' as a decimal"
                    + (text.contains(",") ? " (a comma is only read between thousands, as in 1,234.50)" : ""));
        }
        try {
            return new BigDecimal(amount.group(1) + amount.group(2).replace(",", ""));
        } catch (NumberFormatException e) {
            throw new ValueRejected("cannot read '" + Describe.shorten(text) + "' as a decimal");
        }
    }
}
