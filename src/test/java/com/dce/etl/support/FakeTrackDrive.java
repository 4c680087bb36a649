package com.dce.etl.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * TrackDrive's calls API with state, for tests of whole days: {@code GET /api/v1/calls} filters by
 * {@code created_at_from}/{@code created_at_to} (both inclusive, as TrackDrive's), pages with a cursor (the offset
 * of the page's first record, -1 for the first, 0 after the last) and tells {@code metadata.total_count}. It can
 * misbehave the way real providers do: calls hidden from listings while still counted (a cursor that skips records
 * sharing the boundary second), calls edited after they were read, and slow pages.
 */
public final class FakeTrackDrive implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");

    private final HttpServer server;
    private final Map<Long, ObjectNode> calls = new ConcurrentHashMap<>();
    private final Set<Long> hidden = ConcurrentHashMap.newKeySet();
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private volatile long pageDelayMillis;

    public FakeTrackDrive() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/api/v1/calls", this::answer);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds (or replaces) a finished call created at {@code createdAt} with {@code revenue}. */
    public void call(long id, String createdAt, String revenue) {
        ObjectNode call = JSON.createObjectNode();
        call.put("id", id);
        call.put("uuid", "CA-" + id);
        call.put("created_at", createdAt);
        call.put("updated_at", createdAt);
        call.put("caller_number", "+1303555" + String.format("%04d", id % 10_000));
        call.put("offer", "Auto Insurance");
        call.put("total_duration", 60);
        call.put("status", "finished");
        call.put("buyer_revenue", revenue);
        calls.put(id, call);
    }

    /** Changes a field of a call, as the provider does after the call ended. */
    public void edit(long id, String field, String value) {
        calls.get(id).put(field, value);
    }

    /** The calls listings leave out (their count still includes them) until {@link #showAll}. */
    public void hide(long... ids) {
        for (long id : ids) {
            hidden.add(id);
        }
    }

    public void showAll() {
        hidden.clear();
    }

    /** Forgets every call and request. */
    public void clear() {
        calls.clear();
        hidden.clear();
        requests.clear();
    }

    public void pageDelay(long millis) {
        this.pageDelayMillis = millis;
    }

    /** The query of every request so far, in order. */
    public List<Map<String, String>> requests() {
        return requests;
    }

    /** The cursors of the listing requests so far (count requests, of one record a page, left out). */
    public List<String> listingCursors() {
        return requests.stream().filter(query -> !"1".equals(query.get("per_page")))
                .map(query -> query.get("cursor")).toList();
    }

    public void forgetRequests() {
        requests.clear();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            requests.add(query);
            if (pageDelayMillis > 0) {
                Thread.sleep(pageDelayMillis);
            }
            OffsetDateTime from = time(query.get("created_at_from"), OffsetDateTime.MIN);
            OffsetDateTime to = time(query.get("created_at_to"), OffsetDateTime.MAX);
            List<ObjectNode> window = new ArrayList<>();
            for (ObjectNode call : calls.values()) {
                OffsetDateTime created = OffsetDateTime.parse(call.get("created_at").asText());
                if (!created.isBefore(from) && !created.isAfter(to)) {
                    window.add(call);
                }
            }
            window.sort(Comparator.comparing((ObjectNode call) -> OffsetDateTime.parse(call.get("created_at").asText())
                    .toInstant()).thenComparing(call -> call.get("id").asLong()));
            List<ObjectNode> listed = window.stream().filter(call -> !hidden.contains(call.get("id").asLong()))
                    .toList();
            int perPage = Integer.parseInt(query.getOrDefault("per_page", "25"));
            long cursor = Long.parseLong(query.getOrDefault("cursor", "-1"));
            int start = (int) Math.max(0, cursor);
            int end = Math.min(listed.size(), start + perPage);
            ObjectNode body = JSON.createObjectNode();
            body.putArray("calls").addAll(listed.subList(Math.min(start, end), end));
            ObjectNode metadata = body.putObject("metadata");
            metadata.put("next_cursor", end >= listed.size() ? 0 : end);
            metadata.put("total_count", window.size());
            metadata.put("per_page", perPage);
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private static OffsetDateTime time(String text, OffsetDateTime otherwise) {
        return text == null ? otherwise : OffsetDateTime.parse(text, WINDOW);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                query.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
