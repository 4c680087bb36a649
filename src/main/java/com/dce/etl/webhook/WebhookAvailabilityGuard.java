package com.dce.etl.webhook;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.LifecycleStrategySupport;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Webhook paths answer {@code 503} with {@code Retry-After} whenever their route is not there to take the request:
 * while the service starts (the HTTP server listens before the routes are added), while it stops (routes are removed
 * before the server closes), and while a routes file is reloaded. Without this the server answers 404, which a
 * provider takes as final, and the event is lost. Once the service is stopping, new webhook requests are answered
 * 503 before they reach a route about to go away (which answered 500); requests already taken finish. Once the
 * service runs, a path that no route ever served gets 404, and a method its route does not take 405.
 * <p>
 * The server listens before Camel tells anyone that it has started it; requests in between reach a router without
 * this guard. So the server's request handler is put behind {@link #inFrontOf}, which answers webhook paths 503 itself
 * until the guard is on the router (on a loaded machine that gap is 100 ms or more, and answered 404).
 */
public final class WebhookAvailabilityGuard extends LifecycleStrategySupport implements StartupListener {
    static final String PREFIX = "/webhooks/";
    /** The guard's place among the router's routes; the webhook routes come right after it. */
    static final int FIRST = Integer.MIN_VALUE;
    private static final String RETRY_AFTER_SECONDS = "5";

    private final CamelContext context;
    private final int port;
    /** Each webhook path that a route has served in this process, with the methods it takes. */
    private final Map<String, Set<String>> knownPaths = new ConcurrentHashMap<>();
    private volatile boolean onRouter;

    private WebhookAvailabilityGuard(CamelContext context, int port) {
        this.context = context;
        this.port = port;
    }

    /**
     * Installs the guard on the HTTP server of {@code port}: it learns the webhook routes as they are added and
     * answers for them when they are not there. The server's request handler must be put behind
     * {@link #inFrontOf} of the guard returned.
     */
    public static WebhookAvailabilityGuard install(CamelContext context, int port) throws Exception {
        WebhookAvailabilityGuard guard = new WebhookAvailabilityGuard(context, port);
        context.addLifecycleStrategy(guard);
        context.addStartupListener(guard);
        return guard;
    }

    /** {@code server}'s request handler, answering webhook paths 503 itself until the guard is on the router. */
    public Handler<HttpServerRequest> inFrontOf(Handler<HttpServerRequest> server) {
        return request -> {
            if (!onRouter && request.path() != null && request.path().startsWith(PREFIX)) {
                retryLater(request.response());
            } else {
                server.handle(request);
            }
        };
    }

    /** Called before the routes start, once the HTTP server (and so its router) is up. */
    @Override
    public void onCamelContextStarted(CamelContext camelContext, boolean alreadyStarted) {
        // the router the webhook routes are put on (WebhookComponent), so the guard stands before and after them
        VertxPlatformHttpRouter router = WebhookComponent.routerOf(camelContext, port);
        if (router != null) {
            // before every route: turns requests away once the service is stopping
            router.route(PREFIX + "*").order(FIRST).handler(this::handleFirst);
            // after every route: only requests that no webhook route took reach it
            router.route(PREFIX + "*").order(Integer.MAX_VALUE).handler(this::handleLast);
        }
        onRouter = true;
    }

    @Override
    public void onRoutesAdd(java.util.Collection<Route> routes) {
        for (Route route : routes) {
            if (route.getEndpoint() instanceof WebhookEndpoint endpoint && endpoint.path().startsWith(PREFIX)) {
                knownPaths.put(endpoint.path(), endpoint.methods());
            }
        }
    }

    private void handleFirst(RoutingContext request) {
        ServiceStatus status = context.getStatus();
        if (status.isStopping() || status.isStopped()) {
            retryLater(request.response());
        } else {
            request.next();
        }
    }

    private void handleLast(RoutingContext request) {
        if (context.getStatus() != ServiceStatus.Started) {
            retryLater(request.response());
            return;
        }
        Set<String> methods = knownPaths.get(request.normalizedPath());
        if (methods == null) {
            answer(request.response(), 404, "no webhook endpoint at " + request.normalizedPath());
        } else if (!methods.contains(request.request().method().name())) {
            request.response().putHeader("Allow", String.join(", ", methods));
            answer(request.response(), 405, "use " + String.join(" or ", methods));
        } else {
            // its route is away for a moment (a routes file is being reloaded)
            retryLater(request.response());
        }
    }

    /** 503 with Retry-After: a provider sends the webhook again shortly, where a 404 or 500 may make it give up. */
    static void retryLater(HttpServerResponse response) {
        response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
        answer(response, 503, "the service is starting, stopping or reloading its routes; retry shortly");
    }

    /** A JSON error answer, {@code {"error": ...}}. */
    static void answer(HttpServerResponse response, int status, String error) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", error).encode());
    }
}
