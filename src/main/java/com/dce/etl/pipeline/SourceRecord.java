package com.dce.etl.pipeline;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One provider record on its way in: its text as received (kept as source payload and dead-letter payload), when the
 * service received it and, when the page was already parsed, its JSON tree.
 */
public record SourceRecord(String text, JsonNode json, OffsetDateTime receivedAt) {

    public static SourceRecord ofText(String text, OffsetDateTime receivedAt) {
        return new SourceRecord(text, null, receivedAt);
    }
}
