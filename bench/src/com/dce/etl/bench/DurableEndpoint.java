package com.dce.etl.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The webhooks' physical baseline: the least an endpoint does that answers 202 only once a request is committed. A
 * Vert.x server (one event loop, as the service's) hands each request's body to one writer thread, which inserts
 * what has arrived into {@code dce_inbox} in one multi-row INSERT in auto-commit mode (one round trip, one commit,
 * as the service's inbox writer) and answers each request from its event loop. No authentication, validation, Camel
 * exchange, metrics or loading into {@code dce_calls}: what it does, the service must do too. It runs in the
 * benchmark's own JVM, before the service starts.
 */
final class DurableEndpoint implements AutoCloseable {
    private static final int MAX_BATCH = 200;
    private static final String ACCEPTED = "{\"status\":\"accepted\"}";
    private static final String NOT_STORED = "{\"error\":\"storage unavailable, retry later\"}";

    private record Pending(String payload, Context context, HttpServerRequest request) {
    }

    private final DataSource dataSource;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(10_000);
    private final Map<Integer, String> statements = new HashMap<>();
    private final Vertx vertx = Vertx.vertx();
    private final Thread writer = new Thread(this::writeLoop, "durable-endpoint-writer");
    private final HttpServer server;
    private volatile boolean running = true;

    DurableEndpoint(DataSource dataSource) throws Exception {
        this.dataSource = dataSource;
        writer.start();
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            if (!queue.offer(new Pending(body.toString(), Vertx.currentContext(), request))) {
                request.response().setStatusCode(503).end();
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/webhooks/trackdrive";
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            while (running) {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean stored;
                try (PreparedStatement insert = connection.prepareStatement(insert(batch.size()))) {
                    for (int i = 0; i < batch.size(); i++) {
                        insert.setString(i + 1, batch.get(i).payload());
                    }
                    insert.executeUpdate();
                    stored = true;
                } catch (SQLException e) {
                    // wrk counts these as non-2xx answers, which the reported 202s leave out
                    stored = false;
                }
                int status = stored ? 202 : 503;
                String body = stored ? ACCEPTED : NOT_STORED;
                batch.forEach(pending -> pending.context().runOnContext(ignored -> pending.request().response()
                        .setStatusCode(status).putHeader("Content-Type", "application/json").end(body)));
                batch.clear();
            }
        } catch (SQLException | InterruptedException e) {
            if (running) {
                throw new IllegalStateException("the durable endpoint's writer stopped", e);
            }
        }
    }

    private String insert(int rows) {
        return statements.computeIfAbsent(rows, count -> "INSERT INTO dce_inbox (provider, channel, route_id, payload,"
                + " received_at, attempts, next_attempt_at) VALUES "
                + String.join(", ", Collections.nCopies(count,
                        "('trackdrive', 'webhook', 'trackdrive-webhooks', ?, CURRENT_TIMESTAMP, 0, CURRENT_TIMESTAMP)")));
    }

    @Override
    public void close() throws Exception {
        running = false;
        writer.join(5_000);
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }
}
