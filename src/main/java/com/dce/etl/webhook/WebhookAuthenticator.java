package com.dce.etl.webhook;

import io.vertx.core.http.HttpServerRequest;

/** Decides whether a webhook request carries the provider's secret. Must compare in constant time. */
public interface WebhookAuthenticator {

    boolean verify(HttpServerRequest request, byte[] body);
}
