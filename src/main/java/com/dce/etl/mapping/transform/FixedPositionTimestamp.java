package com.dce.etl.mapping.transform;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads, by the position of each field, the timestamp shapes providers send nearly always: {@code yyyy-MM-dd}, then
 * {@code T} or a space, {@code HH:mm:ss}, an optional fraction of up to nine digits, an optional space, then {@code Z},
 * {@code UTC}, {@code +HH:MM} or {@code +HHMM}. java.time's formatters read these through optional sections that copy
 * their parsed fields at each one: in a flight recording of a re-load of 200,000 TrackDrive records, reading
 * timestamps was a third of the CPU spent mapping them (71 of 213 samples). Any other shape, and any field out of
 * range, gives null, and the caller reads the text with its general formatter: what is accepted, and as what, is
 * unchanged.
 */
final class FixedPositionTimestamp {
    private static final int MAX_FRACTION_DIGITS = 9;

    private FixedPositionTimestamp() {
    }

    static OffsetDateTime read(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' && text.charAt(10) != ' ' || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int start = ++at;
            while (at < length && at - start < MAX_FRACTION_DIGITS && isDigit(text.charAt(at))) {
                nanos = nanos * 10 + text.charAt(at++) - '0';
            }
            if (at == start) {
                return null;
            }
            for (int scale = at - start; scale < MAX_FRACTION_DIGITS; scale++) {
                nanos *= 10;
            }
        }
        if (at < length && text.charAt(at) == ' ') {
            at++;
        }
        ZoneOffset offset = offset(text, at);
        if (offset == null) {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, offset);
        } catch (DateTimeException outOfRange) {
            // February 30th, hour 24: the general formatter decides what those mean
            return null;
        }
    }

    /** The offset that is all of the text from {@code at}: Z, UTC, +HH:MM or +HHMM; null for anything else. */
    private static ZoneOffset offset(String text, int at) {
        int rest = text.length() - at;
        if (rest == 1 && text.charAt(at) == 'Z' || rest == 3 && text.startsWith("UTC", at)) {
            return ZoneOffset.UTC;
        }
        if (rest != 5 && rest != 6 || text.charAt(at) != '+' && text.charAt(at) != '-'
                || rest == 6 && text.charAt(at + 3) != ':') {
            return null;
        }
        int hours = digits(text, at + 1, 2);
        int minutes = digits(text, at + rest - 2, 2);
        if (hours < 0 || minutes < 0) {
            return null;
        }
        int sign = text.charAt(at) == '-' ? -1 : 1;
        try {
            return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    /** The number the {@code count} characters from {@code at} spell, or -1 when one is not a digit. */
    private static int digits(String text, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + c - '0';
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
