package com.dce.etl.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: attempt n waits between half and all of {@code base * 2^(n-1)}, capped. The jitter
 * keeps many retrying workers (or instances) from hitting a recovering provider or database in lockstep.
 */
public record Backoff(Duration base, Duration cap) {

    public Duration delay(int attempt) {
        int exponent = Math.max(0, Math.min(attempt - 1, 30));
        long ceiling = Math.min(cap.toMillis(), base.toMillis() * (1L << exponent));
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }
}
