package com.dce.etl.mapping.transform;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.regex.Pattern;

import com.dce.etl.mapping.FieldTransform;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.ValueType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;

/**
 * A point in time, stored in UTC. Reads ISO 8601 with an offset or Z, TrackDrive's {@code 2016-01-01 12:25:15 -0500},
 * and local date-times (interpreted in the configured zone); a number, or text of 9 to 15 digits, is epoch seconds (or
 * milliseconds when large).
 * Dates outside 1970..2199 are refused: they are typos or unit mix-ups, not calls.
 */
public final class TimestampTransform implements FieldTransform {
    private static final OffsetDateTime EARLIEST = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime LATEST = OffsetDateTime.of(2200, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;

    /**
     * Every accepted shape in one pattern, for what {@link FixedPositionTimestamp} leaves, so a value is read in one
     * pass (trying shapes one after the other would throw and catch an exception per miss).
     */
    private static final DateTimeFormatter ANY_SHAPE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral("UTC").parseDefaulting(ChronoField.OFFSET_SECONDS, 0).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private static final Pattern EPOCH_TEXT = Pattern.compile("-?[0-9]{9,15}");

    private final ZoneId zoneForLocalTimes;

    public TimestampTransform(ZoneId zoneForLocalTimes) {
        this.zoneForLocalTimes = zoneForLocalTimes;
    }

    @Override
    public ValueType output() {
        return ValueType.TIMESTAMP;
    }

    @Override
    public Object apply(JsonNode value) throws ValueRejected {
        OffsetDateTime time;
        if (value.isNumber()) {
            time = fromEpoch(value);
        } else if (value.isTextual()) {
            time = fromText(value.asText().trim());
        } else {
            throw new ValueRejected("expected a timestamp, got " + Describe.kind(value));
        }
        if (time.isBefore(EARLIEST) || !time.isBefore(LATEST)) {
            throw new ValueRejected("timestamp " + time + " is outside 1970..2199");
        }
        return time.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static OffsetDateTime fromEpoch(JsonNode value) throws ValueRejected {
        long number;
        try {
            // epoch milliseconds have 13 digits until the year 2286; the bound keeps the conversion cheap
            number = BoundedNumber.of(value, 15, 20, "epoch time").longValue();
        } catch (ValueRejected e) {
            throw new ValueRejected("epoch time " + Describe.shorten(value.asText()) + " is out of range");
        }
        try {
            Instant instant = Math.abs(number) >= MILLIS_THRESHOLD
                    ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number);
            return instant.atOffset(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new ValueRejected("epoch time " + number + " is out of range");
        }
    }

    /** The common shapes first: they are nearly every value, and the epoch pattern's matcher cost each one. */
    private OffsetDateTime fromText(String text) throws ValueRejected {
        OffsetDateTime common = FixedPositionTimestamp.read(text);
        if (common != null) {
            return common;
        }
        if (EPOCH_TEXT.matcher(text).matches()) {
            // epoch time as text: URL tokens (Ringba's pixels, Retreaver's) carry every value as text
            return fromEpoch(LongNode.valueOf(Long.parseLong(text)));
        }
        try {
            TemporalAccessor parsed = ANY_SHAPE.parse(text);
            LocalDateTime local = LocalDateTime.from(parsed);
            return parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    ? local.atOffset(ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS)))
                    : local.atZone(zoneForLocalTimes).toOffsetDateTime();
        } catch (DateTimeException e) {
            throw new ValueRejected("cannot read '" + Describe.shorten(text) + "' as a timestamp");
        }
    }
}
