package com.dce.etl.retry;

import java.time.Duration;

/** A failure that says how long to wait before trying again (an HTTP 429 with {@code Retry-After}). */
public interface RetryAfter {

    /** The wait asked for; null when the failure names none, and the policy's backoff decides. */
    Duration retryAfter();
}
