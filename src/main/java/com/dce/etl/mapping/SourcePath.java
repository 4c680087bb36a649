package com.dce.etl.mapping;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A field of a provider record, possibly nested ({@code target_group.name}). */
public record SourcePath(String text, List<String> segments) {

    public static SourcePath parse(String text) {
        return new SourcePath(text, List.of(text.split("\\.")));
    }

    /**
     * The value at this path if it is present: not missing, not null, not a blank string, not an empty array or
     * object. Providers use all of these for "no value".
     */
    public JsonNode presentValue(JsonNode record) {
        JsonNode node = record;
        for (String segment : segments) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(segment);
        }
        return isPresent(node) ? node : null;
    }

    static boolean isPresent(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return false;
        }
        if (node.isTextual()) {
            return !node.asText().isBlank();
        }
        return !node.isContainerNode() || !node.isEmpty();
    }
}
