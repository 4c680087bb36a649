package com.dce.etl.poll;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.dce.etl.http.ProviderRequest;
import com.dce.etl.http.ProviderRequest.Place;
import com.dce.etl.style.Style;
import com.dce.etl.style.StyleSpec;
import com.dce.etl.style.Styles;

/**
 * How a read's time window goes into the request, as the stream's declaration says: its start (and end, when the
 * provider takes one) as query parameters or JSON body fields, written in a format the provider reads. Styles:
 * {@code query}, {@code body}, {@code none} (a newest-first stream that reads back until it passes the start).
 */
public interface RequestWindow {

    Styles<WindowStyle, RequestWindow> STYLES = Styles.of("window", WindowStyle.class);

    /** A window style, listed in META-INF/services/com.dce.etl.poll.RequestWindow$WindowStyle. */
    interface WindowStyle extends Style<RequestWindow> {
    }

    /** {@code request} asking for records from {@code from} to {@code to} (null: up to now). */
    ProviderRequest apply(ProviderRequest request, OffsetDateTime from, OffsetDateTime to);

    /** Whether the provider is told where the window starts; else the read itself must stop there. */
    default boolean bounded() {
        return true;
    }

    /** Whether the provider is told where the window ends too, so a read of a past window (a backfill) is possible. */
    default boolean closed() {
        return false;
    }

    /**
     * {@code query|body from=<name> to=<name> format=iso|date|<pattern> zone=<zone>}: the window in the query string
     * or the JSON body; {@code iso} is {@code 2026-11-20T15:00:00Z}, {@code date} is {@code 2026-11-20}, a pattern
     * is a {@link DateTimeFormatter} pattern, all written in {@code zone} (UTC unless given).
     */
    final class Placed implements RequestWindow {
        private final Place place;
        private final String from;
        private final String to;
        private final DateTimeFormatter format;

        Placed(Place place, String from, String to, DateTimeFormatter format) {
            this.place = place;
            this.from = from;
            this.to = to;
            this.format = format;
        }

        @Override
        public ProviderRequest apply(ProviderRequest request, OffsetDateTime start, OffsetDateTime end) {
            ProviderRequest windowed = request.with(place, from, format.format(start));
            if (to != null) {
                windowed = windowed.with(place, to, format.format(end == null ? OffsetDateTime.now(ZoneOffset.UTC)
                        : end));
            }
            return windowed;
        }

        @Override
        public boolean closed() {
            return to != null;
        }

        static RequestWindow create(Place place, StyleSpec spec) {
            String pattern = spec.get("format", "iso");
            ZoneId zone;
            try {
                zone = ZoneId.of(spec.get("zone", "UTC"));
            } catch (java.time.DateTimeException e) {
                throw spec.fail("unknown zone '" + spec.get("zone", "") + "'");
            }
            DateTimeFormatter format;
            try {
                format = switch (pattern) {
                    case "iso" -> DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
                    case "date" -> DateTimeFormatter.ISO_LOCAL_DATE;
                    default -> DateTimeFormatter.ofPattern(pattern);
                };
            } catch (IllegalArgumentException e) {
                throw spec.fail("format: " + e.getMessage());
            }
            return new Placed(place, spec.require("from"), spec.optional("to").orElse(null), format.withZone(zone));
        }
    }

    /** {@code query from= to= format= zone=}. */
    final class QueryStyle implements WindowStyle {
        @Override
        public String name() {
            return "query";
        }

        @Override
        public RequestWindow create(StyleSpec spec) {
            return Placed.create(Place.QUERY, spec);
        }
    }

    /** {@code body from= to= format= zone=}. */
    final class BodyStyle implements WindowStyle {
        @Override
        public String name() {
            return "body";
        }

        @Override
        public RequestWindow create(StyleSpec spec) {
            return Placed.create(Place.BODY, spec);
        }
    }

    /** {@code none}: the provider is not told; a newest-first read stops once a page reaches back past the start. */
    final class NoneStyle implements WindowStyle {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public RequestWindow create(StyleSpec spec) {
            return new RequestWindow() {
                @Override
                public ProviderRequest apply(ProviderRequest request, OffsetDateTime from, OffsetDateTime to) {
                    return request;
                }

                @Override
                public boolean bounded() {
                    return false;
                }
            };
        }
    }
}
