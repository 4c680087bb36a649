package com.dce.etl.webhook;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code dce-webhook:} endpoints: {@code dce-webhook:/webhooks/<provider>?methods=POST,GET}. They take their
 * requests from the service's HTTP server, the one platform-http serves the other paths on, and run their route on
 * the event loop that received the request (see {@link WebhookConsumer}).
 */
public final class WebhookComponent extends DefaultComponent {
    private final int port;

    /** {@code port}: the HTTP server's port ({@code dce.http.port}). */
    public WebhookComponent(int port) {
        this.port = port;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        WebhookEndpoint endpoint = new WebhookEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The router of the service's HTTP server. */
    VertxPlatformHttpRouter router() {
        VertxPlatformHttpRouter router = routerOf(getCamelContext(), port);
        if (router == null) {
            throw new IllegalStateException("no HTTP server on port " + port + " to take webhooks");
        }
        return router;
    }

    /**
     * The router of the HTTP server on {@code port}, or null when there is none; Camel names it after the port, after
     * "0" when the port is chosen.
     */
    static VertxPlatformHttpRouter routerOf(CamelContext context, int port) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        return router != null ? router
                : VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(0));
    }
}
