package com.dce.etl.observe;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * A warning that repeats for every request while a dependency is down (503s during a database outage), written at
 * most once per interval with the count of those left out, so an outage does not bury the log.
 */
public final class ThrottledWarning {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong lastWritten = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public ThrottledWarning(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    public void warn(String message) {
        long now = System.nanoTime();
        long last = lastWritten.get();
        if (last != Long.MIN_VALUE && now - last < intervalNanos || !lastWritten.compareAndSet(last, now)) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        log.warn(skipped == 0 ? message : message + " (and " + skipped + " more like it since the last report)");
    }
}
