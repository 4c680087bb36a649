package com.dce.etl.writeback;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A sent update applied to the stored call, in the transaction that records it as sent, so reports do not wait for
 * the next poll: absolute fields replace (the merge rule: a value replaces, nothing is erased), additive ones add to
 * the stored value, post-call tokens and the disposition go into {@code custom_data}; {@code ingest_channel =
 * writeback}. A call not stored here (yet) is left to its next poll.
 */
final class LocalCallUpdate {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalCallUpdate() {
    }

    static void apply(Connection connection, CallUpdate update, OffsetDateTime now) throws SQLException {
        ObjectNode fields = update.fields();
        String customData = null;
        boolean custom = fields.has("post_call_tokens") || fields.has("call_disposition_id")
                || fields.has("agent_call_disposition_notes");
        if (custom) {
            try (PreparedStatement read = connection.prepareStatement("SELECT custom_data FROM dce_calls WHERE"
                    + " provider = ? AND (external_call_id = ? OR call_uuid = ?) FOR UPDATE")) {
                read.setString(1, update.provider());
                read.setString(2, update.callRef());
                read.setString(3, update.callRef());
                try (ResultSet row = read.executeQuery()) {
                    if (!row.next()) {
                        return;
                    }
                    customData = merged(row.getString(1), fields);
                }
            }
        }
        List<String> assignments = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        money(fields, "revenue", "add_revenue", "call_value", assignments, values);
        money(fields, "payout", "add_payout", "publisher_payout", assignments, values);
        flag(fields, "buyer_converted", "is_converted", assignments, values);
        flag(fields, "offer_converted", "offer_converted", assignments, values);
        if (customData != null) {
            assignments.add("custom_data = ?");
            values.add(customData);
        }
        assignments.add("ingest_channel = 'writeback'");
        // the row is no longer what its last provider record left: that record, read again, is merged, not skipped
        assignments.add("source_hash = NULL");
        assignments.add("last_updated_at = ?");
        values.add(now);
        try (PreparedStatement write = connection.prepareStatement("UPDATE dce_calls SET "
                + String.join(", ", assignments) + " WHERE provider = ? AND (external_call_id = ? OR call_uuid = ?)")) {
            int i = 1;
            for (Object value : values) {
                write.setObject(i++, value);
            }
            write.setString(i++, update.provider());
            write.setString(i++, update.callRef());
            write.setString(i, update.callRef());
            write.executeUpdate();
        }
    }

    private static void money(ObjectNode fields, String absolute, String additive, String column,
            List<String> assignments, List<Object> values) {
        if (fields.has(absolute) && fields.has(additive)) {
            assignments.add(column + " = ?");
            values.add(fields.get(absolute).decimalValue().add(fields.get(additive).decimalValue()));
        } else if (fields.has(absolute)) {
            assignments.add(column + " = ?");
            values.add(fields.get(absolute).decimalValue());
        } else if (fields.has(additive)) {
            assignments.add(column + " = COALESCE(" + column + ", ?) + ?");
            values.add(BigDecimal.ZERO);
            values.add(fields.get(additive).decimalValue());
        }
    }

    private static void flag(ObjectNode fields, String field, String column, List<String> assignments,
            List<Object> values) {
        if (fields.has(field)) {
            assignments.add(column + " = ?");
            values.add(fields.get(field).asBoolean());
        }
    }

    /** {@code custom_data} with the update's post-call tokens merged in, and its disposition. */
    private static String merged(String stored, ObjectNode fields) {
        ObjectNode data;
        try {
            JsonNode parsed = stored == null ? null : JSON.readTree(stored);
            data = parsed != null && parsed.isObject() ? (ObjectNode) parsed : JSON.createObjectNode();
        } catch (Exception notJson) {
            data = JSON.createObjectNode();
        }
        if (fields.has("post_call_tokens")) {
            JsonNode tokens = data.get("post_call_tokens");
            ObjectNode merged = tokens != null && tokens.isObject() ? (ObjectNode) tokens : data.putObject(
                    "post_call_tokens");
            merged.setAll((ObjectNode) fields.get("post_call_tokens"));
        }
        if (fields.has("call_disposition_id")) {
            data.set("call_disposition_id", fields.get("call_disposition_id"));
        }
        if (fields.has("agent_call_disposition_notes")) {
            data.set("agent_call_disposition_notes", fields.get("agent_call_disposition_notes"));
        }
        return data.toString();
    }
}
