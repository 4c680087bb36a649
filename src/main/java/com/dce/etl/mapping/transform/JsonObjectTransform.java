package com.dce.etl.mapping.transform;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import com.dce.etl.mapping.FieldTransform;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.ValueType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Collects every listed source into one JSON object keyed by source name ({@code {"token_values":{..},
 * "post_call_tokens":{..}}}), as compact JSON text. With {@code split}, every string inside a source that is an
 * object becomes an array of its separated parts, for providers that join multi-values into one string
 * (Retreaver tags); sources that are plain values stay as they are.
 */
public final class JsonObjectTransform implements FieldTransform {
    private final Pattern separator;

    public JsonObjectTransform(String split) {
        this.separator = split == null ? null : Pattern.compile(Pattern.quote(split));
    }

    @Override
    public ValueType output() {
        return ValueType.JSON;
    }

    @Override
    public boolean collectsAllSources() {
        return true;
    }

    @Override
    public Object apply(JsonNode collected) throws ValueRejected {
        if (!collected.isObject()) {
            throw new ValueRejected("expected an object, got " + Describe.kind(collected));
        }
        if (separator == null) {
            return collected.toString();
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        collected.fields().forEachRemaining(source -> result.set(source.getKey(),
                source.getValue().isObject() ? splitStrings(source.getValue()) : source.getValue()));
        return result.toString();
    }

    private JsonNode splitStrings(JsonNode node) {
        if (node.isTextual()) {
            ArrayNode parts = JsonNodeFactory.instance.arrayNode();
            for (String part : separator.split(node.asText(), -1)) {
                if (!part.isBlank()) {
                    parts.add(part.trim());
                }
            }
            return parts;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                copy.set(field.getKey(), splitStrings(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(splitStrings(element)));
            return copy;
        }
        return node;
    }
}
