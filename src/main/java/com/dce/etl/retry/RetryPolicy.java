package com.dce.etl.retry;

import java.time.Duration;
import java.util.function.Predicate;

import org.slf4j.Logger;

/**
 * The service's one way of retrying work that failed on a passing fault: up to {@code maxAttempts} tries, waiting
 * {@link Backoff#delay} between them. Each try starts again from what the caller holds, so a retry never sees what
 * an earlier, failed try changed. What counts as passing is the caller's to say.
 */
public record RetryPolicy(Backoff backoff, int maxAttempts) {

    /** One try; {@code attempt} counts from 1. */
    public interface Attempt<T, E extends Exception> {
        T run(int attempt) throws E;
    }

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /**
     * Runs {@code work} until it succeeds, fails with something {@code passing} does not accept, or has been tried
     * {@code maxAttempts} times; the last failure is thrown. {@code log} (may be null) hears of each retry at debug.
     * An interrupt while waiting ends the retries and throws the failure, with the interrupt flag set again.
     */
    public <T, E extends Exception> T run(Attempt<T, E> work, Predicate<? super Exception> passing, Logger log,
            String what) throws E {
        for (int attempt = 1;; attempt++) {
            try {
                return work.run(attempt);
            } catch (Exception failure) {
                if (attempt >= maxAttempts || !passing.test(failure)) {
                    throw sneaky(failure);
                }
                Duration wait = backoff.delay(attempt);
                if (log != null && log.isDebugEnabled()) {
                    log.debug("{} failed on a passing fault (attempt {} of {}), again in {} ms: {}", what, attempt,
                            maxAttempts, wait.toMillis(), failure.toString());
                }
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw sneaky(failure);
                }
            }
        }
    }

    /** {@code work} threw it, so it is one of {@code E} or unchecked. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E sneaky(Exception failure) throws E {
        throw (E) failure;
    }
}
