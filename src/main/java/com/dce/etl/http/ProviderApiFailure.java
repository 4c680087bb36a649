package com.dce.etl.http;

/**
 * A provider's API cannot be read now: it failed after its retries, answered a status no retry fixes, or the request
 * budget is used up. What was committed before stays; the next run goes on from there.
 */
public class ProviderApiFailure extends Exception {
    public ProviderApiFailure(String message) {
        super(message);
    }

    public ProviderApiFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
