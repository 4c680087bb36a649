package com.dce.etl.http;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Query-string edits on request URIs. */
public final class QueryStrings {
    private QueryStrings() {
    }

    /** {@code uri} with {@code name=value} set, replacing an existing parameter of that name. */
    public static URI with(URI uri, String name, String value) {
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8);
        String query = uri.getRawQuery();
        StringBuilder kept = new StringBuilder();
        if (query != null) {
            for (String part : query.split("&")) {
                if (!part.isEmpty() && !part.startsWith(name + "=")) {
                    kept.append(part).append('&');
                }
            }
        }
        kept.append(encoded);
        String text = uri.toString();
        int queryStart = text.indexOf('?');
        String base = queryStart < 0 ? text : text.substring(0, queryStart);
        return URI.create(base + "?" + kept);
    }

    /** The value of a query parameter, undecoded; null when absent. */
    public static String get(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String part : query.split("&")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return null;
    }

    /** {@code uri} without the parameters named in {@code names}. */
    public static URI without(URI uri, java.util.Collection<String> names) {
        String query = uri.getRawQuery();
        if (query == null) {
            return uri;
        }
        StringBuilder kept = new StringBuilder();
        for (String part : query.split("&")) {
            String name = part.contains("=") ? part.substring(0, part.indexOf('=')) : part;
            if (!part.isEmpty() && !names.contains(name)) {
                kept.append(kept.length() == 0 ? "" : "&").append(part);
            }
        }
        String text = uri.toString();
        String base = text.substring(0, text.indexOf('?'));
        return URI.create(kept.length() == 0 ? base : base + "?" + kept);
    }
}
