package com.dce.etl.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.dce.etl.mapping.ProviderJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a webhook request into the text stored in the inbox: the JSON body as received, or, for providers whose
 * webhook URLs carry call fields ({@code queryFields}), the body with the URL and form fields added (into the object
 * under {@code envelope} when the body holds the call there; the body's own fields win). Parameters that carry the
 * webhook secret are never stored, whatever their letter case.
 */
final class WebhookPayload {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean queryFields;
    private final String envelope;
    private final Set<String> secretParameters;

    WebhookPayload(boolean queryFields, String envelope, List<String> secretParameters) {
        this.queryFields = queryFields;
        this.envelope = envelope;
        this.secretParameters = secretParameters.stream().map(name -> name.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Why a request holds no storable call, and the status that says so. */
    static final class Rejected extends Exception {
        private final int status;

        Rejected(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    String read(HttpServerRequest request, byte[] body) throws Rejected {
        String contentType = Optional.ofNullable(request.getHeader("Content-Type")).orElse("").toLowerCase();
        boolean form = contentType.startsWith("application/x-www-form-urlencoded")
                || contentType.startsWith("multipart/form-data");
        if (form && !queryFields) {
            throw new Rejected(415, "send the call as JSON (Content-Type: application/json)");
        }
        String text = form ? "" : utf8(body);
        Map<String, List<String>> fields = queryFields ? fields(request.params()) : Map.of();
        if (text.isBlank()) {
            if (fields.isEmpty()) {
                throw new Rejected(400, "no call in the request: send a JSON object"
                        + (queryFields ? " or query parameters" : ""));
            }
            return withFields(JSON.createObjectNode(), fields).toString();
        }
        try {
            if (fields.isEmpty()) {
                // checked without building a tree: the inbox stores the text as received
                if (!ProviderJson.isObject(text)) {
                    throw new Rejected(400, "body must be a JSON object");
                }
                return text;
            }
            JsonNode json = ProviderJson.read(text);
            if (!json.isObject()) {
                throw new Rejected(400, "body must be a JSON object");
            }
            return withFields((ObjectNode) json, fields).toString();
        } catch (JsonProcessingException e) {
            throw new Rejected(400, "body is not valid JSON");
        }
    }

    /** Adds URL fields to the call (the object under the envelope key when the body wraps it); body fields win. */
    private ObjectNode withFields(ObjectNode root, Map<String, List<String>> fields) {
        ObjectNode call = envelope != null && root.get(envelope) instanceof ObjectNode inner ? inner : root;
        fields.forEach((name, values) -> {
            if (!call.has(name)) {
                call.put(name, values.get(0));
            }
        });
        return root;
    }

    /** The URL and form fields; one given twice is refused: {@code ?uuid=a&uuid=b} would make a call id "a,b". */
    private Map<String, List<String>> fields(MultiMap params) throws Rejected {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String name : params.names()) {
            if (secretParameters.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            List<String> values = params.getAll(name);
            if (values.size() > 1) {
                throw new Rejected(400, "parameter " + shorten(name) + " is given more than once");
            }
            fields.put(name, values);
        }
        return fields;
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static String utf8(byte[] body) throws Rejected {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new Rejected(400, "body is not valid UTF-8");
        }
    }
}
