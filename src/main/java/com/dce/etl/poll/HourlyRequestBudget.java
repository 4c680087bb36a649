package com.dce.etl.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A client-side request budget over a sliding hour (CallRail allows 1,000 API requests an hour per account), shared
 * by every job that names it. A request beyond the budget waits for the oldest one to age out when that is soon;
 * otherwise the job stops with a failure and the next scheduled run resumes from its watermark.
 */
public final class HourlyRequestBudget {
    private static final Duration WINDOW = Duration.ofHours(1);

    private final String name;
    private final int perHour;
    private final Duration maxWait;
    private final Clock clock;
    private final Deque<Instant> recent = new ArrayDeque<>();

    public HourlyRequestBudget(String name, int perHour, Duration maxWait, Clock clock) {
        this.name = name;
        this.perHour = perHour;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    public void acquire() throws PollFailure, InterruptedException {
        while (true) {
            Duration wait = reserveOrWait();
            if (wait.isZero()) {
                return;
            }
            if (wait.compareTo(maxWait) > 0) {
                throw new PollFailure(name + " request budget of " + perHour + "/hour is used up until "
                        + clock.instant().plus(wait) + "; the next run resumes from the watermark");
            }
            Thread.sleep(wait.toMillis());
        }
    }

    /** Takes a slot and returns zero, or returns how long until a slot frees. */
    private synchronized Duration reserveOrWait() {
        Instant now = clock.instant();
        while (!recent.isEmpty() && !recent.peekFirst().plus(WINDOW).isAfter(now)) {
            recent.pollFirst();
        }
        if (recent.size() < perHour) {
            recent.addLast(now);
            return Duration.ZERO;
        }
        return Duration.between(now, recent.peekFirst().plus(WINDOW));
    }

    /** Requests taken within the last hour. */
    public synchronized int used() {
        Instant cutoff = clock.instant().minus(WINDOW);
        return (int) recent.stream().filter(at -> at.isAfter(cutoff)).count();
    }
}
