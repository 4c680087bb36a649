package com.dce.etl.reconcile;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * One row of {@code dce_reconciliation}: a provider stream's day, the provider's count against the rows stored and
 * the dead letters waiting for that day.
 *
 * @param providerCount null where the provider gives no count
 * @param status {@code match}, {@code missing}, {@code extra}, {@code unknown} or {@code healing}
 * @param backfillId the backfill that heals the day, once one was started
 */
public record DayCheck(String provider, String stream, LocalDate day, Long providerCount, long storedCount,
        long deadLetterCount, String status, Long backfillId, OffsetDateTime checkedAt, OffsetDateTime healedAt) {

    public static final String MATCH = "match";
    public static final String MISSING = "missing";
    public static final String EXTRA = "extra";
    public static final String UNKNOWN = "unknown";
    public static final String HEALING = "healing";

    /** Calls the provider counts that are neither stored nor waiting as dead letters. */
    public long missingCalls() {
        return providerCount == null ? 0 : Math.max(0, providerCount - storedCount - deadLetterCount);
    }

    /** What the counts say, before any healing. */
    static String compare(Long providerCount, long stored, long deadLetters) {
        if (providerCount == null) {
            return UNKNOWN;
        }
        if (stored > providerCount) {
            return EXTRA;
        }
        return stored + deadLetters >= providerCount ? MATCH : MISSING;
    }
}
