package com.dce.etl.webhook;

import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs a webhook route for each request of its path, on the event loop that received the request, and answers with
 * the status, headers and body the route leaves on the message. The route must not block: its intake answers
 * turned-away requests at once and a stored one from the inbox writer's completion, back on this event loop.
 * <p>
 * Why not platform-http's own consumer: it runs every route on a Vert.x worker thread, which then waits for the
 * route, and answers from the event loop; a webhook crossed four threads (event loop, worker, inbox writer, worker,
 * event loop) on two cores that were busy 86-94% under load, each crossing a few hundred microseconds in the run
 * queue. Here it crosses two: in the benchmark's reduced PostgreSQL runs, 30% more webhooks a second (8,340 against
 * 6,409, means of three and two runs), p50 7.0 against 9.1 ms.
 */
final class WebhookConsumer extends DefaultConsumer implements Suspendable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookConsumer.class);

    private Route route;

    WebhookConsumer(WebhookEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public WebhookEndpoint getEndpoint() {
        return (WebhookEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        VertxPlatformHttpRouter router = getEndpoint().getComponent().router();
        // right after the availability guard, not after every admin and status route: the router tried each of
        // those on every webhook (some by regular expression), 3% of the event loop's samples under webhook load
        Route taking = router.route(getEndpoint().path()).order(WebhookAvailabilityGuard.FIRST + 1);
        getEndpoint().methods().forEach(method -> taking.method(HttpMethod.valueOf(method)));
        // reads the body, within camel.server.max-body-size
        taking.handler(router.bodyHandler());
        taking.handler(this::handle);
        route = taking;
    }

    @Override
    protected void doStop() throws Exception {
        if (route != null) {
            route.remove();
            route = null;
        }
        super.doStop();
    }

    private void handle(RoutingContext request) {
        if (!isRunAllowed() || isSuspended()) {
            // the service is stopping: Camel suspends the route's consumer, then lets what it took finish
            WebhookAvailabilityGuard.retryLater(request.response());
            return;
        }
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        HttpMessage message = new HttpMessage(exchange, request.request(), request.response());
        Buffer body = request.body().buffer();
        message.setBody(body == null ? new byte[0] : body.getBytes());
        exchange.setIn(message);
        Context receiver = Vertx.currentContext();
        try {
            createUoW(exchange);
        } catch (Exception e) {
            exchange.setException(e);
            answer(request, exchange);
            return;
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            if (Vertx.currentContext() == receiver) {
                answer(request, exchange);
            } else {
                receiver.runOnContext(ignored -> answer(request, exchange));
            }
        });
    }

    private void answer(RoutingContext request, Exchange exchange) {
        HttpServerResponse response = request.response();
        try {
            if (exchange.getException() instanceof RejectedExecutionException) {
                // Camel refuses the exchange while the route does not run: seen as the service starts (the consumer
                // is on the router a moment before) and as it stops
                WebhookAvailabilityGuard.retryLater(response);
                return;
            }
            if (exchange.getException() != null) {
                Exception failure = exchange.getException();
                LOG.error("Webhook at {} failed, answering 500: {}", getEndpoint().path(), failure.toString(), failure);
                WebhookAvailabilityGuard.answer(response, 500, "the request failed; retry later");
                return;
            }
            Message message = exchange.getMessage();
            response.setStatusCode(message.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class));
            for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
                // the route's own headers only: the request's are never put on the message
                if (!header.getKey().startsWith("Camel") && header.getValue() != null) {
                    response.putHeader(header.getKey(), header.getValue().toString());
                }
            }
            String body = message.getBody(String.class);
            response.end(body == null ? "" : body);
        } catch (RuntimeException e) {
            // the client went away before its answer: what its request stored stays stored
            LOG.debug("Webhook at {} not answered: {}", getEndpoint().path(), e.toString());
        } finally {
            doneUoW(exchange);
            releaseExchange(exchange, false);
        }
    }
}
