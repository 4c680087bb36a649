package com.dce.etl.poll;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

import com.dce.etl.pipeline.CallBatch;

/**
 * The steps of the read-pages route, which walks a {@link PageRead} (a live poll, a backfill, a settle re-read): take
 * the next page (fetched and mapped ahead), load it, count it; at the end record the outcome. The read travels in an
 * exchange property, the pages as the body.
 */
public final class ReadPagesSteps {
    /** Exchange property holding the {@link PageRead} being walked. */
    public static final String READ = "dceRead";

    /** The body is a read: keep it for the loop. */
    public void begin(Exchange exchange) throws InvalidPayloadException {
        exchange.setProperty(READ, exchange.getMessage().getMandatoryBody(PageRead.class));
    }

    /** The body becomes the next page's batch. */
    public void nextPage(Exchange exchange) throws Exception {
        exchange.getMessage().setBody(read(exchange).next());
    }

    /** The page's calls are stored with its checkpoint. */
    public void committed(Exchange exchange) {
        read(exchange).committed(exchange.getMessage().getBody(CallBatch.class));
    }

    public void finished(Exchange exchange) throws Exception {
        read(exchange).finish();
    }

    public void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        read(exchange).failed(cause == null ? new IllegalStateException("the read failed") : cause);
    }

    private static PageRead read(Exchange exchange) {
        return exchange.getProperty(READ, PageRead.class);
    }
}
