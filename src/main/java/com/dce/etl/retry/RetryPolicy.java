package com.dce.etl.retry;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * The service's one way of retrying work that failed on a passing fault: up to {@code maxAttempts} tries, waiting
 * {@link Backoff#delay} between them, or what a {@link RetryAfter} failure asks for, if anything (at most
 * {@code maxWait}). Each try starts again from what the caller holds, so a retry never sees what an earlier, failed
 * try changed. What counts as passing is the caller's to say.
 */
public record RetryPolicy(Backoff backoff, int maxAttempts, Duration maxWait) {

    /** One try; {@code attempt} counts from 1. */
    public interface Attempt<T, E extends Exception> {
        T run(int attempt) throws E;
    }

    /** Hears of each retry before its wait, to log it. */
    public interface Listener {
        Listener SILENT = (attempt, failure, wait) -> { };

        void retrying(int attempt, Exception failure, Duration wait);
    }

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public RetryPolicy(Backoff backoff, int maxAttempts) {
        this(backoff, maxAttempts, backoff.cap());
    }

    /**
     * Runs {@code work} until it succeeds, fails with something {@code passing} does not accept, or has been tried
     * {@code maxAttempts} times; the last failure is thrown. An interrupt while waiting ends the retries and throws
     * the failure, with the interrupt flag set again.
     */
    public <T, E extends Exception> T run(Attempt<T, E> work, Predicate<? super Exception> passing, Listener listener)
            throws E {
        for (int attempt = 1;; attempt++) {
            try {
                return work.run(attempt);
            } catch (Exception failure) {
                if (attempt >= maxAttempts || !passing.test(failure)) {
                    throw sneaky(failure);
                }
                Duration asked = failure instanceof RetryAfter hint ? hint.retryAfter() : null;
                Duration wait = asked == null ? backoff.delay(attempt)
                        : min(asked.isNegative() ? Duration.ZERO : asked, maxWait);
                listener.retrying(attempt, failure, wait);
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw sneaky(failure);
                }
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** {@code work} threw it, so it is one of {@code E} or unchecked. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E sneaky(Exception failure) throws E {
        throw (E) failure;
    }
}
