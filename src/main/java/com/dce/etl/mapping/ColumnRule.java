package com.dce.etl.mapping;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How one DCE column is filled: from source fields (first present wins) or a constant, through a transform. */
public record ColumnRule(DceColumn column, List<SourcePath> sources, JsonNode constant, FieldTransform transform) {

    public Object extract(JsonNode record) throws ValueRejected {
        if (constant != null) {
            return transform.apply(constant);
        }
        if (transform.collectsAllSources()) {
            ObjectNode collected = JsonNodeFactory.instance.objectNode();
            for (SourcePath source : sources) {
                JsonNode value = source.presentValue(record);
                if (value != null) {
                    collected.set(source.text(), value);
                }
            }
            return collected.isEmpty() ? null : transform.apply(collected);
        }
        for (SourcePath source : sources) {
            JsonNode value = source.presentValue(record);
            if (value != null) {
                return transform.apply(value);
            }
        }
        return null;
    }

    /** Where the value comes from, for rejection reasons. */
    public String describeSource() {
        if (constant != null) {
            return "constant";
        }
        return sources.stream().map(SourcePath::text).reduce((a, b) -> a + "|" + b).orElse("");
    }
}
