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
import java.util.List;

import com.dce.etl.mapping.FieldTransform;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.ValueType;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A point in time, stored in UTC. Reads ISO 8601 with an offset or Z, TrackDrive's {@code 2016-01-01 12:25:15 -0500},
 * and local date-times (interpreted in the configured zone); a number is epoch seconds (or milliseconds when large).
 * Dates outside 1970..2199 are refused: they are typos or unit mix-ups, not calls.
 */
public final class TimestampTransform implements FieldTransform {
    private static final OffsetDateTime EARLIEST = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime LATEST = OffsetDateTime.of(2200, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;

    private static final DateTimeFormatter LOCAL_PART = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .toFormatter();

    private static final List<DateTimeFormatter> WITH_OFFSET = List.of(
            DateTimeFormatter.ISO_OFFSET_DATE_TIME,
            new DateTimeFormatterBuilder().append(LOCAL_PART).optionalStart().appendLiteral(' ').optionalEnd()
                    .appendOffset("+HHMM", "Z").toFormatter(),
            new DateTimeFormatterBuilder().append(LOCAL_PART).optionalStart().appendLiteral(' ').optionalEnd()
                    .appendOffset("+HH:MM", "Z").toFormatter(),
            new DateTimeFormatterBuilder().append(LOCAL_PART).appendLiteral(" UTC")
                    .parseDefaulting(ChronoField.OFFSET_SECONDS, 0).toFormatter());

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
            time = parse(value.asText().trim());
        } else {
            throw new ValueRejected("expected a timestamp, got " + Describe.kind(value));
        }
        if (time.isBefore(EARLIEST) || !time.isBefore(LATEST)) {
            throw new ValueRejected("timestamp " + time + " is outside 1970..2199");
        }
        return time.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static OffsetDateTime fromEpoch(JsonNode value) throws ValueRejected {
        if (!value.canConvertToLong()) {
            throw new ValueRejected("epoch time " + Describe.shorten(value.asText()) + " is out of range");
        }
        long number = value.asLong();
        try {
            Instant instant = Math.abs(number) >= MILLIS_THRESHOLD
                    ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number);
            return instant.atOffset(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new ValueRejected("epoch time " + number + " is out of range");
        }
    }

    private OffsetDateTime parse(String text) throws ValueRejected {
        for (DateTimeFormatter format : WITH_OFFSET) {
            try {
                return OffsetDateTime.parse(text, format);
            } catch (DateTimeException ignored) {
                // try the next accepted shape
            }
        }
        try {
            return LocalDateTime.parse(text, LOCAL_PART).atZone(zoneForLocalTimes).toOffsetDateTime();
        } catch (DateTimeException e) {
            throw new ValueRejected("cannot read '" + Describe.shorten(text) + "' as a timestamp");
        }
    }
}
