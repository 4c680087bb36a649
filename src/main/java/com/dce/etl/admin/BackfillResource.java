package com.dce.etl.admin;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.backfill.Backfill;
import com.dce.etl.backfill.BackfillRequests;
import com.dce.etl.backfill.BackfillStore;
import com.dce.etl.input.Refused;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;

/**
 * {@code /admin/backfills}: queue a backfill ({@code POST}), list them, show one with its progress, cancel one.
 */
public final class BackfillResource {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillResource.class);
    private static final Pattern ONE = Pattern.compile("/admin/backfills/([0-9]{1,18})(/cancel)?");

    private final AdminAccess access;
    private final BackfillRequests requests;
    private final BackfillStore store;

    public BackfillResource(AdminAccess access, BackfillRequests requests, BackfillStore store) {
        this.access = access;
        this.requests = requests;
        this.store = store;
    }

    /** {@code POST /admin/backfills {"provider","stream","from","to"}} -> 202 {@code {"id","status":"queued"}}. */
    public void create(Exchange exchange) throws SQLException {
        if (access.authorized(exchange).isEmpty()) {
            return;
        }
        JsonNode body = AdminAccess.jsonBody(exchange);
        if (body == null || !body.isObject()) {
            AdminAccess.respond(exchange, 400, AdminAccess.error("send a JSON object: {\"provider\": \"trackdrive\","
                    + " \"stream\": \"calls\", \"from\": \"2026-01-01T00:00:00Z\", \"to\": \"2026-02-01T00:00:00Z\"}"));
            return;
        }
        try {
            long id = requests.submit(text(body, "provider"), text(body, "stream"), text(body, "from"),
                    text(body, "to"));
            LOG.info("Backfill {} queued through the admin API: {}", id, body);
            AdminAccess.respond(exchange, 202, AdminAccess.JSON.createObjectNode().put("id", id)
                    .put("status", Backfill.QUEUED));
        } catch (Refused refused) {
            AdminAccess.refuse(exchange, refused);
        }
    }

    /** {@code GET /admin/backfills}, newest first. */
    public void list(Exchange exchange) throws SQLException {
        if (access.authorized(exchange).isEmpty()) {
            return;
        }
        ArrayNode list = AdminAccess.JSON.createArrayNode();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        store.list(200).forEach(backfill -> list.add(json(backfill, now)));
        AdminAccess.respond(exchange, 200, list);
    }

    /** {@code GET /admin/backfills/{id}} and {@code POST /admin/backfills/{id}/cancel}. */
    public void one(Exchange exchange) throws SQLException {
        Optional<HttpServerRequest> request = access.authorized(exchange);
        if (request.isEmpty()) {
            return;
        }
        Matcher path = ONE.matcher(request.get().path());
        Optional<Backfill> backfill = path.matches() ? store.find(Long.parseLong(path.group(1))) : Optional.empty();
        if (backfill.isEmpty()) {
            AdminAccess.respond(exchange, 404, AdminAccess.error("no such backfill"));
            return;
        }
        if (path.group(2) != null) {
            if (!store.cancel(backfill.get().id())) {
                AdminAccess.respond(exchange, 409, AdminAccess.error("backfill " + backfill.get().id() + " is "
                        + backfill.get().status() + " already"));
                return;
            }
            LOG.info("Backfill {} cancelled through the admin API", backfill.get().id());
            backfill = store.find(backfill.get().id());
        }
        AdminAccess.respond(exchange, 200, json(backfill.get(), OffsetDateTime.now(ZoneOffset.UTC)));
    }

    /** The fields of SPEC section 7; {@code rows_per_second} counts records read. */
    public static ObjectNode json(Backfill backfill, OffsetDateTime now) {
        ObjectNode json = AdminAccess.JSON.createObjectNode().put("id", backfill.id())
                .put("provider", backfill.provider()).put("stream", backfill.stream())
                .put("purpose", backfill.purpose()).put("from", AdminAccess.text(backfill.from()))
                .put("to", AdminAccess.text(backfill.to())).put("status", backfill.status())
                .put("pages", backfill.pages()).put("records", backfill.recordsRead())
                .put("rows", backfill.rowsWritten()).put("dead_letters", backfill.deadLetters());
        json.put("total", backfill.total());
        json.put("rows_per_second", backfill.recordsPerSecond(now));
        json.put("progress", backfill.progress());
        json.put("eta_seconds", backfill.etaSeconds(now));
        return json.put("started_at", AdminAccess.text(backfill.startedAt()))
                .put("finished_at", AdminAccess.text(backfill.finishedAt())).put("error", backfill.error())
                .put("cancel_requested", backfill.cancelRequested());
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
