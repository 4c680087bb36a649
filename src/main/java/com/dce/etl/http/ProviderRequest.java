package com.dce.etl.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One request to a provider's API: method, URI, headers and, for POST, a JSON body. Immutable: pagination and
 * windows make new requests from old ones, so a retry or a re-read sends exactly what was sent before.
 */
public record ProviderRequest(String method, URI uri, Map<String, String> headers, JsonNode body) {

    public ProviderRequest {
        headers = Map.copyOf(headers);
        body = body == null ? null : body.deepCopy();
    }

    public static ProviderRequest get(URI uri) {
        return new ProviderRequest("GET", uri, Map.of(), null);
    }

    /** Where a parameter of the request goes: the query string or a top-level field of the JSON body. */
    public enum Place {
        QUERY, BODY;

        public static Place named(String name) {
            return switch (name) {
                case "query" -> QUERY;
                case "body" -> BODY;
                default -> throw new IllegalArgumentException("in= must be query or body, not '" + name + "'");
            };
        }
    }

    /** This request with {@code name} set to {@code value} in the query string or the JSON body. */
    public ProviderRequest with(Place place, String name, JsonNode value) {
        if (place == Place.QUERY) {
            return new ProviderRequest(method, QueryStrings.with(uri, name, value.asText()), headers, body);
        }
        ObjectNode changed = body instanceof ObjectNode object ? object.deepCopy()
                : JsonNodeFactory.instance.objectNode();
        changed.set(name, value);
        return new ProviderRequest(method, uri, headers, changed);
    }

    public ProviderRequest with(Place place, String name, String value) {
        return with(place, name, JsonNodeFactory.instance.textNode(value));
    }

    public ProviderRequest withUri(URI changed) {
        return new ProviderRequest(method, changed, headers, body);
    }

    public ProviderRequest withHeader(String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(headers);
        changed.put(name, value);
        return new ProviderRequest(method, uri, changed, body);
    }

    /** The value of a parameter this request carries, or null. */
    public String parameter(Place place, String name) {
        if (place == Place.QUERY) {
            String raw = QueryStrings.get(uri, name);
            return raw == null ? null : java.net.URLDecoder.decode(raw, java.nio.charset.StandardCharsets.UTF_8);
        }
        JsonNode value = body == null ? null : body.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Where the request goes, without its query string, which may hold credentials: for logs and messages. */
    public String where() {
        return method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }
}
