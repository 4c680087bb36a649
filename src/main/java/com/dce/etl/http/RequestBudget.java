package com.dce.etl.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A client-side request budget shared by every job of a provider account that names it, over sliding windows: CallRail
 * allows 1,000 requests an hour and 10,000 a day, Ringba's reporting 5 a second and 80 a minute. A request beyond a
 * limit waits for a slot when one frees within {@code maxWait}; otherwise the job stops with a failure and its next
 * run goes on from where it stopped.
 */
public final class RequestBudget {

    /** At most {@code count} requests in any {@code window}. */
    public record Limit(int count, Duration window, String words) {
    }

    private final String name;
    private final List<Limit> limits;
    private final Duration maxWait;
    private final Clock clock;
    /** Times of the requests within the longest window, oldest first. */
    private final Deque<Instant> recent = new ArrayDeque<>();
    private final Duration longest;

    public RequestBudget(String name, List<Limit> limits, Duration maxWait, Clock clock) {
        this.name = name;
        this.limits = List.copyOf(limits);
        this.maxWait = maxWait;
        this.clock = clock;
        this.longest = limits.stream().map(Limit::window).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** Takes a slot, waiting for one when it frees soon enough; fails when none frees within the longest wait. */
    public void acquire() throws ProviderApiFailure, InterruptedException {
        while (true) {
            Blocked blocked = reserveOrWait();
            if (blocked == null) {
                return;
            }
            if (blocked.delay().compareTo(maxWait) > 0) {
                throw new ProviderApiFailure(name + " request budget of " + blocked.limit().words() + " is used up until "
                        + clock.instant().plus(blocked.delay()) + "; the next run goes on from where this one stopped");
            }
            Thread.sleep(Math.max(1, blocked.delay().toMillis()));
        }
    }

    private record Blocked(Limit limit, Duration delay) {
    }

    /** Takes a slot and returns null, or says which limit blocks and how long until a slot frees. */
    private synchronized Blocked reserveOrWait() {
        Instant now = clock.instant();
        while (!recent.isEmpty() && !recent.peekFirst().plus(longest).isAfter(now)) {
            recent.pollFirst();
        }
        Blocked longestWait = null;
        for (Limit limit : limits) {
            Instant windowStart = now.minus(limit.window());
            // the requests within this window are the newest ones; the one that must age out is count back from last
            int inWindow = 0;
            Instant oldestCounted = null;
            for (var it = recent.descendingIterator(); it.hasNext();) {
                Instant at = it.next();
                if (!at.isAfter(windowStart)) {
                    break;
                }
                inWindow++;
                if (inWindow == limit.count()) {
                    oldestCounted = at;
                }
            }
            if (inWindow >= limit.count()) {
                Duration wait = Duration.between(now, oldestCounted.plus(limit.window()));
                if (longestWait == null || wait.compareTo(longestWait.delay()) > 0) {
                    longestWait = new Blocked(limit, wait);
                }
            }
        }
        if (longestWait == null) {
            recent.addLast(now);
        }
        return longestWait;
    }

    /** Requests taken within {@code window} (at most the longest limit's window). */
    public synchronized int used(Duration window) {
        Instant cutoff = clock.instant().minus(window);
        return (int) recent.stream().filter(at -> at.isAfter(cutoff)).count();
    }
}
