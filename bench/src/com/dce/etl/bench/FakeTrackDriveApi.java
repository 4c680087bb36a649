package com.dce.etl.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * TrackDrive's calls API for the benchmark: {@code GET /api/v1/calls} with cursor paging over {@code total}
 * generated records, pages of {@code pageSize}, produced on demand (never all in memory).
 */
final class FakeTrackDriveApi implements AutoCloseable {
    private final HttpServer server;
    private final long total;
    private final int pageSize;
    final AtomicLong pagesServed = new AtomicLong();

    FakeTrackDriveApi(long total, int pageSize) throws IOException {
        this.total = total;
        this.pageSize = pageSize;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/api/v1/calls", this::page);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void page(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        long cursor = -1;
        for (String part : query == null ? new String[0] : query.split("&")) {
            if (part.startsWith("cursor=")) {
                cursor = Long.parseLong(part.substring(7));
            }
        }
        long from = cursor <= 0 ? 0 : cursor;
        long to = Math.min(total, from + pageSize);
        StringBuilder body = new StringBuilder((int) (to - from) * 900 + 200).append("{\"calls\":[");
        for (long i = from; i < to; i++) {
            if (i > from) {
                body.append(',');
            }
            body.append(GeneratedCalls.json(i));
        }
        body.append("],\"metadata\":{\"next_cursor\":").append(to >= total ? 0 : to)
                .append(",\"total_count\":").append(total).append(",\"per_page\":").append(pageSize).append("}}");
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        pagesServed.incrementAndGet();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
