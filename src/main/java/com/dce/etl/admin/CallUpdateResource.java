package com.dce.etl.admin;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.input.Refused;
import com.dce.etl.writeback.CallUpdate;
import com.dce.etl.writeback.CallUpdateRequests;
import com.dce.etl.writeback.CallUpdateStore;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /admin/call-updates} (one update or an array; all stored in one transaction before the {@code 202}
 * that lists their ids, or none and a {@code 400} naming the field) and {@code GET /admin/call-updates?status=}.
 */
public final class CallUpdateResource {
    private static final Logger LOG = LoggerFactory.getLogger(CallUpdateResource.class);
    private static final Set<String> STATUSES = Set.of(CallUpdate.PENDING, CallUpdate.SENDING, CallUpdate.SENT,
            CallUpdate.DEAD);

    private final AdminAccess access;
    private final CallUpdateRequests requests;
    private final CallUpdateStore store;

    public CallUpdateResource(AdminAccess access, CallUpdateRequests requests, CallUpdateStore store) {
        this.access = access;
        this.requests = requests;
        this.store = store;
    }

    public void create(Exchange exchange) throws SQLException {
        if (access.authorized(exchange).isEmpty()) {
            return;
        }
        List<CallUpdateRequests.Checked> checked;
        try {
            checked = requests.check(AdminAccess.jsonBody(exchange));
        } catch (Refused refused) {
            AdminAccess.refuse(exchange, refused);
            return;
        }
        List<Long> ids = store.add(checked);
        LOG.info("{} call update(s) accepted through the admin API, ids {}..{}", ids.size(), ids.get(0),
                ids.get(ids.size() - 1));
        ObjectNode answer = AdminAccess.JSON.createObjectNode().put("status", CallUpdate.PENDING);
        ids.forEach(answer.putArray("ids")::add);
        AdminAccess.respond(exchange, 202, answer);
    }

    public void list(Exchange exchange) throws SQLException {
        Optional<HttpServerRequest> request = access.authorized(exchange);
        if (request.isEmpty()) {
            return;
        }
        String status = request.get().getParam("status");
        if (status != null && !STATUSES.contains(status)) {
            AdminAccess.refuse(exchange, new Refused("status", "one of " + STATUSES));
            return;
        }
        ArrayNode list = AdminAccess.JSON.createArrayNode();
        for (CallUpdate update : store.list(status, 500)) {
            ObjectNode json = list.addObject().put("id", update.id()).put("provider", update.provider())
                    .put("call", update.callRef()).put("status", update.status()).put("attempts", update.attempts());
            json.set("fields", update.fields());
            json.put("response_status", update.responseStatus()).put("error", update.lastError())
                    .put("created_at", AdminAccess.text(update.createdAt()))
                    .put("sent_at", AdminAccess.text(update.sentAt()));
        }
        AdminAccess.respond(exchange, 200, list);
    }
}
