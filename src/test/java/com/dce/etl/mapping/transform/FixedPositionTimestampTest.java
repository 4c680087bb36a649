package com.dce.etl.mapping.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FixedPositionTimestampTest {
    /** The shapes it reads, as java.time writes them. */
    private static final List<DateTimeFormatter> SHAPES = List.of(
            DateTimeFormatter.ISO_OFFSET_DATE_TIME,
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx"),
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx"),
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS xxx"),
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX"));

    @Test
    void readsWhatJavaTimeWritesInEachShape() {
        Random random = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(18 * 4 * 2 + 1) - 18 * 4) * 15 * 60);
            OffsetDateTime time = OffsetDateTime.of(1970 + random.nextInt(230), 1 + random.nextInt(12),
                    1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60),
                    random.nextInt(1_000_000_000), offset);
            for (DateTimeFormatter shape : SHAPES) {
                String text = shape.format(time);
                assertThat(FixedPositionTimestamp.read(text)).as(text)
                        .isEqualTo(shape.parse(text, OffsetDateTime::from));
            }
        }
    }

    @Test
    void readsUtcAndZulu() {
        assertThat(FixedPositionTimestamp.read("2018-02-19 18:41:00 UTC"))
                .isEqualTo(OffsetDateTime.of(2018, 2, 19, 18, 41, 0, 0, ZoneOffset.UTC));
        assertThat(FixedPositionTimestamp.read("2018-02-19T18:41:00.5Z"))
                .isEqualTo(OffsetDateTime.of(2018, 2, 19, 18, 41, 0, 500_000_000, ZoneOffset.UTC));
        assertThat(FixedPositionTimestamp.read("2016-01-01 12:25:15 -0530"))
                .isEqualTo(OffsetDateTime.of(2016, 1, 1, 12, 25, 15, 0, ZoneOffset.ofHoursMinutes(-5, -30)));
    }

    /** Left to the general formatter: other shapes, and values it reads by its own rules (or refuses). */
    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "2026-13-01T00:00:00Z",
        "2026-01-01T10:00+05:00", "2026-01-01T10:00:00+19:00", "2026-01-01T10:00:00+05:60",
        "2026-01-01T10:00:00.1234567890Z", "2026-01-01T10:00:00.Z", "2026-01-01t10:00:00z",
        "2026-01-01T10:00:00+05:00:00", "2026-01-01T10:00:00", "2026-01-01T10:00:00 ", "2026-01-01T10:00:00+05",
        "2026-01-01T10:00:00 utc", "2026-01-01T10:00:00  Z", "2026-01-01T10:00:00+0500x", "+2026-01-01T10:00:00Z",
        "2026-1-01T10:00:00Z00", "2026-01-01T1a:00:00Z", "2026-01-01T10:00:00Z ", "20260101T100000Z+00:00"})
    void leavesOtherShapesToTheGeneralFormatter(String text) {
        assertThat(FixedPositionTimestamp.read(text)).isNull();
    }
}
