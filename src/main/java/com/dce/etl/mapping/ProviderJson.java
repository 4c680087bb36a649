package com.dce.etl.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How provider JSON is read everywhere (webhook bodies, stored payloads, API pages): decimals stay exact (no binary
 * floating point for money), text after the document is an error rather than silently ignored, and a leading UTF-8
 * byte-order mark is dropped. Jackson's own limits (nesting depth, number and string length) guard against hostile
 * documents.
 */
public final class ProviderJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ProviderJson() {
    }

    public static JsonNode read(String text) throws JsonProcessingException {
        return MAPPER.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
    }
}
