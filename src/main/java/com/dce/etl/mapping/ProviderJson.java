package com.dce.etl.mapping;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

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
    /** Reads the values inside an answer read token by token; the answer's own end is checked by its reader. */
    private static final ObjectMapper VALUES = MAPPER.copy().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ProviderJson() {
    }

    public static JsonNode read(String text) throws JsonProcessingException {
        try {
            return MAPPER.readTree(withoutByteOrderMark(text));
        } catch (NumberFormatException e) {
            // Jackson throws this unchecked for a number it cannot hold ("1e-2147483648": scale out of range); it is
            // the document's fault like any other, not a passing failure to retry
            throw new JsonParseException(null, e.getMessage());
        }
    }

    /**
     * A provider's answer to a list request: its JSON as {@link #read} reads it, with the text of each record of the
     * array at {@code records} (the answer itself when null) as the provider sent it.
     */
    public static ProviderAnswer readAnswer(String text, SourcePath records) throws JsonProcessingException {
        String json = withoutByteOrderMark(text);
        try (JsonParser parser = VALUES.createParser(json)) {
            if (parser.nextToken() == null) {
                return new ProviderAnswer(MissingNode.getInstance(), List.of());
            }
            ProviderAnswer answer = ProviderAnswer.read(parser, json, records == null ? List.of() : records.segments());
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "trailing token (" + parser.currentToken() + ") after the answer");
            }
            return answer;
        } catch (NumberFormatException e) {
            throw new JsonParseException(null, e.getMessage());
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new JsonParseException(null, e.getMessage());
        }
    }

    /**
     * Whether the text is exactly one JSON object, read as a stream of tokens without building it (the same limits
     * apply); throws when it is not JSON at all.
     */
    public static boolean isObject(String text) throws JsonProcessingException {
        try (JsonParser parser = MAPPER.createParser(withoutByteOrderMark(text))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new JsonParseException(null, e.getMessage());
        }
    }

    private static String withoutByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
