package com.dce.etl.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A load step whose {@link Error} (an OutOfMemoryError from one absurd record, say) fails the exchange like any
 * exception. Camel does not catch errors: the worker thread died with the error and its inbox claim sat until the
 * lease ran out. As a failure, the worker's catch puts the entries back with backoff, counts the attempt, and
 * dead-letters them after {@code dce.inbox.max-attempts}; the worker goes on.
 */
public final class ErrorsAsFailures implements Processor {
    private final Processor step;

    public ErrorsAsFailures(Processor step) {
        this.step = step;
    }

    /** The failure carrying the error. */
    public static final class StepError extends RuntimeException {
        StepError(Error cause) {
            super(cause.toString(), cause);
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        try {
            step.process(exchange);
        } catch (Error e) {
            throw new StepError(e);
        }
    }
}
