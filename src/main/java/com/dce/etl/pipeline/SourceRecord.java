package com.dce.etl.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One provider record on its way in: its text as received (kept as source payload and dead-letter payload) and,
 * when the page was already parsed, its JSON tree.
 */
public record SourceRecord(String text, JsonNode json) {

    public static SourceRecord ofText(String text) {
        return new SourceRecord(text, null);
    }

    public static SourceRecord ofJson(JsonNode json) {
        return new SourceRecord(json.toString(), json);
    }
}
