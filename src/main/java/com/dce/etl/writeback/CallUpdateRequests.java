package com.dce.etl.writeback;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.dce.etl.input.Refused;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks call updates as they are asked for ({@code POST /admin/call-updates}, a table feed): one object or an array,
 * each {@code {"provider":"trackdrive","call":"<id or uuid>", ...fields}}. All are checked before any is stored, and a
 * mistake names its field ({@code [3].revenue}). Values are normalised to what TrackDrive reads: decimals as text,
 * booleans as true/false.
 */
public final class CallUpdateRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** TrackDrive call ids are numbers; uuids are letters, digits, '-' and '_'. */
    private static final Pattern CALL_REF = Pattern.compile("[0-9]{1,19}|[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    /** decimal(14,4), as dce_calls keeps money. */
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,10}(\\.[0-9]{1,4})?");
    private static final Set<String> DECIMALS = Set.of("revenue", "payout", "add_revenue", "add_payout");
    private static final Set<String> BOOLEANS = Set.of("buyer_converted", "offer_converted");
    private static final Map<String, Boolean> BOOLEAN_WORDS = Map.of("true", true, "1", true, "yes", true, "on", true,
            "false", false, "0", false, "no", false, "off", false);
    static final Set<String> ADDITIVE = Set.of("add_revenue", "add_payout");
    private static final int NOTES_LIMIT = 4000;

    /** One checked update. */
    public record Checked(String provider, String callRef, ObjectNode fields, boolean additive) {
    }

    private final Set<String> providers;

    /** {@code providers}: those whose write-back is on. */
    public CallUpdateRequests(Set<String> providers) {
        this.providers = providers;
    }

    public List<Checked> check(JsonNode body) throws Refused {
        if (body == null || !(body.isObject() || body.isArray())) {
            throw new Refused("body", "send a JSON object or an array of them");
        }
        List<Checked> checked = new ArrayList<>();
        if (body.isObject()) {
            checked.add(one(body, ""));
        } else {
            if (body.isEmpty()) {
                throw new Refused("body", "the array is empty");
            }
            for (int i = 0; i < body.size(); i++) {
                checked.add(one(body.get(i), "[" + i + "]."));
            }
        }
        return checked;
    }

    private Checked one(JsonNode update, String at) throws Refused {
        if (!update.isObject()) {
            throw new Refused(at.isEmpty() ? "body" : at.substring(0, at.length() - 1), "must be a JSON object");
        }
        String provider = update.path("provider").asText("");
        if (!providers.contains(provider)) {
            throw new Refused(at + "provider", provider.isEmpty() ? "is required (trackdrive)"
                    : "'" + provider + "' has no write-back" + (provider.equals("trackdrive") ? " while it is off:"
                            + " set dce.trackdrive.base-url, public-key and private-key" : "; known: " + providers));
        }
        JsonNode call = update.get("call");
        if (call == null || !(call.isTextual() || call.isIntegralNumber())) {
            throw new Refused(at + "call", "is required: the call's id or uuid");
        }
        String callRef = call.asText().trim();
        if (!CALL_REF.matcher(callRef).matches()) {
            throw new Refused(at + "call", "'" + shortened(callRef) + "' is neither a call id (digits) nor a uuid"
                    + " (letters, digits, '-' and '_')");
        }
        ObjectNode fields = JSON.createObjectNode();
        boolean additive = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = update.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals("provider") || name.equals("call")) {
                continue;
            }
            if (DECIMALS.contains(name)) {
                String text = value.isNumber() ? value.decimalValue().toPlainString() : value.asText("");
                if (!(value.isNumber() || value.isTextual()) || !DECIMAL.matcher(text.trim()).matches()) {
                    throw new Refused(at + name, "'" + shortened(value.toString()) + "' is not a decimal with at most"
                            + " 10 digits before the point and 4 after");
                }
                fields.put(name, new BigDecimal(text.trim()));
                additive |= ADDITIVE.contains(name);
            } else if (BOOLEANS.contains(name)) {
                Boolean flag = value.isBoolean() ? Boolean.valueOf(value.asBoolean())
                        : BOOLEAN_WORDS.get(value.asText("").trim().toLowerCase());
                if (flag == null || !(value.isBoolean() || value.isTextual() || value.isIntegralNumber())) {
                    throw new Refused(at + name, "'" + shortened(value.toString()) + "' is not true or false");
                }
                fields.put(name, flag);
            } else if (name.equals("post_call_tokens")) {
                if (!value.isObject()) {
                    throw new Refused(at + name, "must be a JSON object of token names and values");
                }
                fields.set(name, value);
            } else if (name.equals("call_disposition_id")) {
                if (!(value.isIntegralNumber() || value.isTextual() && value.asText().matches("[0-9]{1,19}"))) {
                    throw new Refused(at + name, "must be a whole number");
                }
                fields.put(name, value.asLong());
            } else if (name.equals("agent_call_disposition_notes")) {
                if (!value.isTextual() || value.asText().length() > NOTES_LIMIT) {
                    throw new Refused(at + name, "must be text of at most " + NOTES_LIMIT + " characters");
                }
                fields.put(name, value.asText());
            } else {
                throw new Refused(at + name, "is not a field of a call update (revenue, payout, add_revenue,"
                        + " add_payout, buyer_converted, offer_converted, post_call_tokens, call_disposition_id,"
                        + " agent_call_disposition_notes)");
            }
        }
        if (fields.isEmpty()) {
            throw new Refused(at + "call", "the update sets no field");
        }
        return new Checked(provider, callRef, fields, additive);
    }

    private static String shortened(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
