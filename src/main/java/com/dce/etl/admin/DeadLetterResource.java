package com.dce.etl.admin;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.deadletter.StoredDeadLetter;
import com.dce.etl.input.Refused;
import com.dce.etl.pipeline.CallBatch;
import com.dce.etl.pipeline.SourceRecord;
import com.dce.etl.writeback.WritebackReplay;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;

/**
 * {@code /admin/dead-letters}: list, replay and discard. A replay sends the stored payload through the load route as
 * it is today, so a fixed mapping file recovers it; a write-back dead letter is queued again as a call update.
 */
public final class DeadLetterResource {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterResource.class);
    private static final Pattern ACTION = Pattern.compile("/admin/dead-letters/(\\d+)/(replay|discard)");
    private static final int MAX_LIST = 1000;

    private final AdminAccess access;
    private final DeadLetterStore deadLetters;
    private final ProducerTemplate producer;
    private final WritebackReplay writeback;

    public DeadLetterResource(AdminAccess access, DeadLetterStore deadLetters, ProducerTemplate producer,
            WritebackReplay writeback) {
        this.access = access;
        this.deadLetters = deadLetters;
        this.producer = producer;
        this.writeback = writeback;
    }

    /** {@code GET /admin/dead-letters?provider=&status=&limit=}, newest first. */
    public void list(Exchange exchange) throws SQLException {
        Optional<HttpServerRequest> request = access.authorized(exchange);
        if (request.isEmpty()) {
            return;
        }
        int limit = Math.min(MAX_LIST, parseInt(request.get().getParam("limit"), 100));
        List<StoredDeadLetter> letters = deadLetters.list(blankToNull(request.get().getParam("provider")),
                blankToNull(request.get().getParam("status")), limit);
        ArrayNode list = AdminAccess.JSON.createArrayNode();
        letters.forEach(letter -> list.add(json(letter)));
        AdminAccess.respond(exchange, 200, list);
    }

    /** {@code POST /admin/dead-letters/{id}/replay} and {@code /discard}. */
    public void act(Exchange exchange) throws SQLException {
        Optional<HttpServerRequest> request = access.authorized(exchange);
        if (request.isEmpty()) {
            return;
        }
        Matcher path = ACTION.matcher(request.get().path());
        if (!path.matches()) {
            AdminAccess.respond(exchange, 404, AdminAccess.error("no such admin resource"));
            return;
        }
        long id;
        try {
            id = Long.parseLong(path.group(1));
        } catch (NumberFormatException tooLong) {
            AdminAccess.respond(exchange, 404, AdminAccess.error("no dead letter " + path.group(1)));
            return;
        }
        Optional<StoredDeadLetter> letter = deadLetters.find(id);
        if (letter.isEmpty()) {
            AdminAccess.respond(exchange, 404, AdminAccess.error("no dead letter " + id));
        } else if (!DeadLetterStore.NEW.equals(letter.get().status())) {
            AdminAccess.respond(exchange, 409, AdminAccess.error("dead letter " + id + " is already "
                    + letter.get().status()));
        } else if ("discard".equals(path.group(2))) {
            deadLetters.close(id, DeadLetterStore.DISCARDED);
            LOG.info("Dead letter {} ({}) discarded through the admin API", id, letter.get().provider());
            AdminAccess.respond(exchange, 200, AdminAccess.JSON.createObjectNode().put("id", id)
                    .put("status", DeadLetterStore.DISCARDED));
        } else {
            replay(exchange, letter.get());
        }
    }

    private void replay(Exchange exchange, StoredDeadLetter letter) throws SQLException {
        if ("writeback".equals(letter.channel())) {
            // a refused or unknown write-back goes out again as a new update
            try {
                long update = writeback.requeue(letter.payload());
                deadLetters.close(letter.id(), DeadLetterStore.REPLAYED);
                LOG.info("Dead letter {} ({}) replayed as call update {}", letter.id(), letter.provider(), update);
                AdminAccess.respond(exchange, 200, AdminAccess.JSON.createObjectNode().put("id", letter.id())
                        .put("status", DeadLetterStore.REPLAYED).put("update_id", update));
            } catch (Refused refused) {
                AdminAccess.respond(exchange, 422, AdminAccess.JSON.createObjectNode().put("id", letter.id())
                        .put("status", "failed").put("error_message", refused.getMessage()));
            }
            return;
        }
        CallBatch batch = new CallBatch(letter.provider(), "replay", "admin-replay",
                List.of(SourceRecord.ofText(letter.payload(), OffsetDateTime.now(ZoneOffset.UTC))));
        CallBatch result = producer.requestBody("direct:load-calls", batch, CallBatch.class);
        if (result.loaded() == 1) {
            deadLetters.close(letter.id(), DeadLetterStore.REPLAYED);
            LOG.info("Dead letter {} ({}) replayed and loaded", letter.id(), letter.provider());
            AdminAccess.respond(exchange, 200, AdminAccess.JSON.createObjectNode().put("id", letter.id())
                    .put("status", DeadLetterStore.REPLAYED)
                    .put("external_call_id", result.calls().get(0).externalCallId()));
            return;
        }
        // the load route counted the failure on this same dead letter (same payload, still new)
        String reason = result.rejected().isEmpty() ? "not loaded" : result.rejected().get(0).reason().name();
        String message = result.rejected().isEmpty() ? "" : result.rejected().get(0).message();
        AdminAccess.respond(exchange, 422, AdminAccess.JSON.createObjectNode().put("id", letter.id())
                .put("status", "failed").put("reason_code", reason).put("error_message", message));
    }

    private static ObjectNode json(StoredDeadLetter letter) {
        return AdminAccess.JSON.createObjectNode().put("id", letter.id()).put("provider", letter.provider())
                .put("channel", letter.channel()).put("route_id", letter.routeId())
                .put("reason_code", letter.reasonCode()).put("error_message", letter.errorMessage())
                .put("payload", letter.payload()).put("attempts", letter.attempts()).put("status", letter.status())
                .put("created_at", AdminAccess.text(letter.createdAt()))
                .put("updated_at", AdminAccess.text(letter.updatedAt()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static int parseInt(String value, int fallback) {
        try {
            return value == null ? fallback : Math.max(1, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
