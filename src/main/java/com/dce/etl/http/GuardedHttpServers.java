package com.dce.etl.http;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The Vert.x instance Camel's HTTP server is created from, with {@link HttpLimits} put on every HTTP server it
 * creates: idle timeout, no h2c unless configured, a {@link ConnectionLimit} and, on each HTTP/1.x connection, a
 * {@link RequestFramingGuard} in front of the request decoder, and a handler of ours in front of the request handler
 * that Camel gives the server. Camel's platform-http takes the one Vert.x bound in the
 * registry and creates its server with options of its own, which offer none of these; so the server is guarded where
 * Vert.x creates it, and everything else is passed to the real Vert.x.
 */
public final class GuardedHttpServers implements InvocationHandler {
    private final Vertx vertx;
    private final HttpLimits limits;
    private final UnaryOperator<Handler<HttpServerRequest>> inFront;

    private GuardedHttpServers(Vertx vertx, HttpLimits limits, UnaryOperator<Handler<HttpServerRequest>> inFront) {
        this.vertx = vertx;
        this.limits = limits;
        this.inFront = inFront;
    }

    /**
     * {@code vertx}, whose HTTP servers get {@code limits}, and whose servers' request handlers are put behind
     * {@code inFront}.
     */
    public static Vertx around(Vertx vertx, HttpLimits limits, UnaryOperator<Handler<HttpServerRequest>> inFront) {
        return (Vertx) Proxy.newProxyInstance(GuardedHttpServers.class.getClassLoader(),
                new Class<?>[] {VertxInternal.class}, new GuardedHttpServers(vertx, limits, inFront));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("createHttpServer") && args != null && args.length == 1
                && args[0] instanceof HttpServerOptions options) {
            return withHandlerInFront(guarded(options));
        }
        return forward(vertx, method, args);
    }

    private static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** {@code server}, whose request handler, once set, is put behind {@link #inFront}. */
    @SuppressWarnings("unchecked")
    private HttpServer withHandlerInFront(HttpServer server) {
        return (HttpServer) Proxy.newProxyInstance(GuardedHttpServers.class.getClassLoader(),
                new Class<?>[] {HttpServer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("requestHandler") && args != null && args.length == 1) {
                        server.requestHandler(inFront.apply((Handler<HttpServerRequest>) args[0]));
                        return proxy;
                    }
                    return forward(server, method, args);
                });
    }

    private HttpServer guarded(HttpServerOptions options) {
        options.setIdleTimeout((int) limits.idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setHttp2ClearTextEnabled(limits.h2c());
        ConnectionLimit connections = new ConnectionLimit(limits.maxConnections());
        HttpServer server = vertx.createHttpServer(options);
        server.connectionHandler(connection -> {
            ChannelHandlerContext channel = ((ConnectionBase) connection).channelHandlerContext();
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get("httpDecoder") == null) {
                return; // HTTP/2 (h2c switched on): framed by its own codec
            }
            RequestFramingGuard guard = new RequestFramingGuard(limits.maxBodyBytes(),
                    limits.headerTimeout().toMillis(), limits.bodyTimeout().toMillis());
            pipeline.addBefore("httpDecoder", "framingGuard", guard);
            pipeline.addAfter("httpEncoder", "answerEnds", guard.answerEnds());
            if (!connections.admit(guard)) {
                channel.close();
                return;
            }
            channel.channel().closeFuture().addListener(closed -> connections.closed(guard));
        });
        return server;
    }
}
