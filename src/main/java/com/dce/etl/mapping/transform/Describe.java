package com.dce.etl.mapping.transform;

import com.fasterxml.jackson.databind.JsonNode;

/** Short, bounded descriptions of source values for rejection reasons (never a whole payload). */
final class Describe {
    private static final int MAX = 40;

    private Describe() {
    }

    static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            default -> "'" + shorten(value.asText()) + "'";
        };
    }

    static String shorten(String text) {
        return text.length() <= MAX ? text : text.substring(0, MAX) + "...";
    }
}
