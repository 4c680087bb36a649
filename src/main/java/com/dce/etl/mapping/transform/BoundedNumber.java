package com.dce.etl.mapping.transform;

import java.math.BigDecimal;

import com.dce.etl.mapping.ValueRejected;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a number with bounds on its size before any arithmetic is done with it. A 52-byte webhook carrying
 * {@code 1e-100000000} made rounding to four places take 75 s of CPU, and {@code 1e2100000000} filled the heap when
 * written out for an error message; precision and scale tell both apart in constant time, so such values are refused
 * at once, and messages quote the value only as short text.
 */
final class BoundedNumber {
    private BoundedNumber() {
    }

    /**
     * The number, when it has at most {@code integerDigits} digits before the point and {@code fractionDigits}
     * after it (trailing zeros aside); {@code what} names it in the refusal ("amount", "duration").
     */
    static BigDecimal of(BigDecimal number, int integerDigits, int fractionDigits, String shown, String what)
            throws ValueRejected {
        if (number.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal stripped = number.stripTrailingZeros();
        long integers = (long) stripped.precision() - stripped.scale();
        if (integers > integerDigits) {
            throw new ValueRejected(what + " " + Describe.shorten(shown) + " has more than " + integerDigits
                    + " digits before the point");
        }
        if (stripped.scale() > fractionDigits) {
            throw new ValueRejected(what + " " + Describe.shorten(shown) + " has more than " + fractionDigits
                    + " digits after the point");
        }
        return number;
    }

    /** The JSON number's value, bounded; its text as the provider wrote it is what messages show. */
    static BigDecimal of(JsonNode number, int integerDigits, int fractionDigits, String what) throws ValueRejected {
        return of(number.decimalValue(), integerDigits, fractionDigits, number.asText(), what);
    }
}
