package com.dce.etl.backfill;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.input.Refused;
import com.dce.etl.poll.PollStream;

/**
 * Checks a requested backfill and queues it: the provider and stream must be declared and on, the stream must take a
 * window's end (Retreaver's newest-first updated stream cannot), {@code from} before {@code to}, and the window
 * within what the provider keeps. Without a stream, the provider's one stream that can be backfilled is taken.
 */
public final class BackfillRequests {
    private final ChannelRegistry channels;
    private final BackfillStore store;

    public BackfillRequests(ChannelRegistry channels, BackfillStore store) {
        this.channels = channels;
        this.store = store;
    }

    /** Queues a backfill; its id. */
    public long submit(String provider, String stream, String from, String to) throws Refused, SQLException {
        PollStream chosen = stream(provider, stream);
        OffsetDateTime start = time("from", from);
        OffsetDateTime end = time("to", to);
        if (!start.isBefore(end)) {
            throw new Refused("from", "must be before to (" + to + ")");
        }
        Optional<java.time.Duration> kept = chosen.retention();
        if (kept.isPresent()) {
            OffsetDateTime earliest = OffsetDateTime.now(ZoneOffset.UTC).minus(kept.get());
            if (start.isBefore(earliest)) {
                throw new Refused("from", provider + " keeps calls " + kept.get().toDays() + " days; the earliest"
                        + " start is " + earliest.toLocalDate());
            }
        }
        return store.create(provider, chosen.stream(), "backfill", start, end);
    }

    private PollStream stream(String provider, String stream) throws Refused {
        if (provider == null || provider.isBlank()) {
            throw new Refused("provider", "is required");
        }
        List<PollStream> streams = channels.all(PollStream.class).stream()
                .filter(candidate -> candidate.provider().equals(provider)).toList();
        if (streams.isEmpty()) {
            throw new Refused("provider", "unknown provider '" + provider + "'; known: "
                    + channels.all(PollStream.class).stream().map(PollStream::provider).distinct().toList());
        }
        PollStream chosen;
        if (stream == null || stream.isBlank()) {
            List<PollStream> windowed = streams.stream().filter(PollStream::windowed).toList();
            if (windowed.size() != 1) {
                throw new Refused("stream", "is required for " + provider + ": one of "
                        + windowed.stream().map(PollStream::stream).toList());
            }
            chosen = windowed.get(0);
        } else {
            chosen = streams.stream().filter(candidate -> candidate.stream().equals(stream)).findFirst()
                    .orElseThrow(() -> new Refused("stream", "unknown stream '" + stream + "' of " + provider
                            + "; known: " + streams.stream().map(PollStream::stream).toList()));
        }
        if (!chosen.isOn()) {
            throw new Refused("provider", provider + " is off; set " + String.join(" and ",
                    chosen.missingSettings()));
        }
        if (!chosen.windowed()) {
            throw new Refused("stream", provider + " " + chosen.stream() + " cannot be read for a past window (the"
                    + " provider is not told where a window ends)");
        }
        return chosen;
    }

    private static OffsetDateTime time(String field, String value) throws Refused {
        if (value == null || value.isBlank()) {
            throw new Refused(field, "is required, e.g. 2026-01-01T00:00:00Z");
        }
        try {
            return OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(value.trim()).atStartOfDay().atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException notADate) {
                throw new Refused(field, "'" + value + "' is not an ISO 8601 time (2026-01-01T00:00:00Z) or date");
            }
        }
    }
}
