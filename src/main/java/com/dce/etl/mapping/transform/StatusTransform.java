package com.dce.etl.mapping.transform;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.mapping.FieldTransform;
import com.dce.etl.mapping.StatusVocabulary;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.ValueType;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A provider's status word translated through the mapping file's {@code statuses} table. Matching ignores case;
 * a key ending in {@code *} matches every word it starts (the longest such key wins). A word the table does not
 * know becomes {@code unknown} and is logged once per word, so a provider's new status shows up without losing calls.
 */
public final class StatusTransform implements FieldTransform {
    private static final Logger LOG = LoggerFactory.getLogger(StatusTransform.class);

    private final String provider;
    private final Map<String, String> exact = new LinkedHashMap<>();
    private final Map<String, String> prefixes = new LinkedHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    public StatusTransform(String provider, Map<String, String> table) {
        this.provider = provider;
        table.forEach((word, status) -> {
            String key = word.toLowerCase(Locale.ROOT);
            if (key.endsWith("*")) {
                prefixes.put(key.substring(0, key.length() - 1), status);
            } else {
                exact.put(key, status);
            }
        });
    }

    @Override
    public ValueType output() {
        return ValueType.TEXT;
    }

    @Override
    public Object apply(JsonNode value) throws ValueRejected {
        if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
            throw new ValueRejected("expected a status word, got " + Describe.kind(value));
        }
        String word = value.asText().trim().toLowerCase(Locale.ROOT);
        String status = exact.get(word);
        if (status == null) {
            status = longestPrefixMatch(word);
        }
        if (status == null) {
            if (reported.size() < 1000 && reported.add(word)) {
                LOG.warn("{} status '{}' is not in config/mappings/{}.yaml statuses; stored as '{}'",
                        provider, Describe.shorten(word), provider, StatusVocabulary.UNKNOWN);
            }
            return StatusVocabulary.UNKNOWN;
        }
        return status;
    }

    private String longestPrefixMatch(String word) {
        String best = null;
        int bestLength = -1;
        for (Map.Entry<String, String> prefix : prefixes.entrySet()) {
            if (word.startsWith(prefix.getKey()) && prefix.getKey().length() > bestLength) {
                best = prefix.getValue();
                bestLength = prefix.getKey().length();
            }
        }
        return best;
    }
}
