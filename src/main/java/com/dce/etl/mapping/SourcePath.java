package com.dce.etl.mapping;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A field of a provider record, possibly nested ({@code target_group.name}), or one of the pipeline's own fields
 * ({@code $channel}, {@code $received_at}; see {@link RecordContext}).
 */
public record SourcePath(String text, List<String> segments) {
    public static final String CHANNEL = "$channel";
    public static final String RECEIVED_AT = "$received_at";
    public static final Set<String> PIPELINE_FIELDS = Set.of(CHANNEL, RECEIVED_AT);

    public static SourcePath parse(String text) {
        return new SourcePath(text, List.of(text.split("\\.")));
    }

    public boolean isPipelineField() {
        return text.startsWith("$");
    }

    /** The value at this path in {@code record}, or of the pipeline field from {@code context}; null if absent. */
    public JsonNode presentValue(JsonNode record, RecordContext context) {
        if (!isPipelineField()) {
            return presentValue(record);
        }
        if (CHANNEL.equals(text)) {
            return context.channel() == null ? null : TextNode.valueOf(context.channel());
        }
        return context.receivedAt() == null ? null : TextNode.valueOf(context.receivedAt().toString());
    }

    /**
     * The value at this path if it is present: not missing, not null, not a blank string, not an empty array or
     * object. Providers use all of these for "no value".
     */
    public JsonNode presentValue(JsonNode record) {
        JsonNode node = value(record);
        return isPresent(node) ? node : null;
    }

    /** The value at this path as it is, empty or not; null when the path does not lead anywhere. */
    public JsonNode value(JsonNode record) {
        JsonNode node = record;
        for (String segment : segments) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(segment);
        }
        return node;
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
