package com.dce.etl.backfill;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * A stored backfill: a window {@code from}..{@code to} of one poll stream, read for {@code purpose} ({@code backfill},
 * {@code settle}, {@code heal}), with where it stands and what it has loaded.
 *
 * @param position where the walk goes on after the last committed page (null: from the start)
 * @param recordsRead records on the committed pages
 * @param rowsWritten rows inserted or changed (a re-read of unchanged calls writes none)
 * @param total the provider's count of records in the window, where its answers tell one
 */
public record Backfill(long id, String provider, String stream, String purpose, OffsetDateTime from,
        OffsetDateTime to, String status, String position, long pages, long recordsRead, long rowsWritten,
        long deadLetters, Long total, boolean cancelRequested, String error, OffsetDateTime createdAt,
        OffsetDateTime startedAt, OffsetDateTime finishedAt) {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    public boolean finished() {
        return status.equals(DONE) || status.equals(FAILED) || status.equals(CANCELLED);
    }

    /** Records read per second since it started, over its whole run (also across a resume). */
    public Double recordsPerSecond(OffsetDateTime now) {
        if (startedAt == null) {
            return null;
        }
        double seconds = Duration.between(startedAt, finishedAt != null ? finishedAt : now).toMillis() / 1000.0;
        return seconds <= 0 ? null : Math.round(recordsRead / seconds * 10) / 10.0;
    }

    /** 0..1 where the provider told a total; null where it tells none (Retreaver): no guess. */
    public Double progress() {
        if (total == null) {
            return null;
        }
        if (status.equals(DONE)) {
            return 1.0;
        }
        return total == 0 ? 1.0 : Math.min(1.0, (double) recordsRead / total);
    }

    /** Seconds until done at the rate so far, where there is a total and a rate. */
    public Long etaSeconds(OffsetDateTime now) {
        Double rate = recordsPerSecond(now);
        if (total == null) {
            return null;
        }
        if (finished() || rate == null || rate <= 0) {
            return finished() ? Long.valueOf(0) : null;
        }
        return Math.max(0, Math.round((total - recordsRead) / rate));
    }
}
