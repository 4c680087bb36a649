package com.dce.etl.http;

import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Header policy of the platform-http endpoints (admin API, status page). Nothing from the request becomes a Camel
 * header: the handlers read the request itself, and platform-http would otherwise turn form fields and query
 * parameters into headers that are echoed back as response headers (a JSON body sent as a form is one header named
 * after the whole document). Only the handlers' own answer headers go out.
 */
public final class AnswerHeaderFilter implements HeaderFilterStrategy {
    private static final Set<String> OUTGOING = Set.of("content-type", "retry-after", "www-authenticate",
            "cache-control");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !OUTGOING.contains(headerName.toLowerCase());
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}
