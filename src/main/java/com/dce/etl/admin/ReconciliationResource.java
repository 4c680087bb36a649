package com.dce.etl.admin;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.apache.camel.Exchange;

import com.dce.etl.config.Settings;
import com.dce.etl.reconcile.DayCheck;
import com.dce.etl.reconcile.ReconciliationStore;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code GET /admin/reconciliation?days=}: the days checked, newest first. */
public final class ReconciliationResource {
    private final AdminAccess access;
    private final ReconciliationStore store;
    private final Settings settings;

    public ReconciliationResource(AdminAccess access, ReconciliationStore store, Settings settings) {
        this.access = access;
        this.store = store;
        this.settings = settings;
    }

    public void list(Exchange exchange) throws SQLException {
        var request = access.authorized(exchange);
        if (request.isEmpty()) {
            return;
        }
        int days = settings.getInt("dce.reconcile-days", 7);
        try {
            String asked = request.get().getParam("days");
            days = asked == null ? days : Math.max(1, Math.min(400, Integer.parseInt(asked)));
        } catch (NumberFormatException e) {
            AdminAccess.respond(exchange, 400, AdminAccess.error("days: must be a whole number"));
            return;
        }
        ArrayNode list = AdminAccess.JSON.createArrayNode();
        for (DayCheck check : store.since(LocalDate.now(ZoneOffset.UTC).minusDays(days + 1L))) {
            list.add(json(check));
        }
        AdminAccess.respond(exchange, 200, list);
    }

    public static ObjectNode json(DayCheck check) {
        ObjectNode json = AdminAccess.JSON.createObjectNode().put("provider", check.provider())
                .put("stream", check.stream()).put("day", check.day().toString());
        json.put("provider_count", check.providerCount());
        json.put("stored_count", check.storedCount()).put("dead_letter_count", check.deadLetterCount())
                .put("missing_calls", check.missingCalls()).put("status", check.status());
        json.put("backfill_id", check.backfillId());
        return json.put("checked_at", AdminAccess.text(check.checkedAt()))
                .put("healed_at", AdminAccess.text(check.healedAt()));
    }
}
