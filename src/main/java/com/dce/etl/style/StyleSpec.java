package com.dce.etl.style;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.dce.etl.config.DeclarationError;

/**
 * A named, parameterised style as a provider declaration writes it, in one line: the style's name, then its
 * parameters as {@code key=value}; a value with spaces is quoted with single quotes. For example
 * {@code cursor param=cursor first=-1 next=metadata.next_cursor last=0} or
 * {@code query from=created_at_from format='yyyy-MM-dd HH:mm:ss Z'}.
 */
public final class StyleSpec {
    private final String what;
    private final String name;
    private final Map<String, String> parameters;
    private final Set<String> read = new TreeSet<>();

    private StyleSpec(String what, String name, Map<String, String> parameters) {
        this.what = what;
        this.name = name;
        this.parameters = parameters;
    }

    /** Parses {@code text}; {@code what} names the declaration's key in error messages (e.g. "pagination"). */
    public static StyleSpec parse(String what, String text) {
        if (text == null || text.isBlank()) {
            throw new DeclarationError(what, "is empty; it needs a style name");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        String trimmed = text.strip();
        int nameEnd = trimmed.indexOf(' ');
        String name = nameEnd < 0 ? trimmed : trimmed.substring(0, nameEnd);
        int i = nameEnd < 0 ? trimmed.length() : nameEnd;
        while (i < trimmed.length()) {
            while (i < trimmed.length() && trimmed.charAt(i) == ' ') {
                i++;
            }
            if (i >= trimmed.length()) {
                break;
            }
            int equals = trimmed.indexOf('=', i);
            int space = trimmed.indexOf(' ', i);
            if (equals < 0 || (space >= 0 && space < equals)) {
                throw new DeclarationError(what, "'" + trimmed.substring(i, space < 0 ? trimmed.length() : space)
                        + "' is not key=value (in '" + trimmed + "')");
            }
            String key = trimmed.substring(i, equals);
            i = equals + 1;
            String value;
            if (i < trimmed.length() && trimmed.charAt(i) == '\'') {
                int close = trimmed.indexOf('\'', i + 1);
                if (close < 0) {
                    throw new DeclarationError(what, "the quote after " + key + "= is not closed");
                }
                value = trimmed.substring(i + 1, close);
                i = close + 1;
            } else {
                int end = trimmed.indexOf(' ', i);
                value = trimmed.substring(i, end < 0 ? trimmed.length() : end);
                i = end < 0 ? trimmed.length() : end;
            }
            if (parameters.put(key, value) != null) {
                throw new DeclarationError(what, key + " is given twice");
            }
        }
        return new StyleSpec(what, name, parameters);
    }

    /** The style's name: the first word. */
    public String name() {
        return name;
    }

    /** The declaration key this spec was written under, for messages. */
    public String what() {
        return what;
    }

    public Optional<String> optional(String key) {
        read.add(key);
        return Optional.ofNullable(parameters.get(key)).filter(value -> !value.isEmpty());
    }

    public String get(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public String require(String key) {
        return optional(key).orElseThrow(() -> fail(key + "= is required"));
    }

    public int getInt(String key, int fallback) {
        String value = get(key, Integer.toString(fallback));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw fail(key + "='" + value + "' is not a whole number");
        }
    }

    /** Every parameter given, also those the style has not asked for yet. */
    public Map<String, String> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Fails when the declaration gave a parameter the style did not ask for: a typo must not pass silently. */
    public void checkAllUsed() {
        for (String key : parameters.keySet()) {
            if (!read.contains(key)) {
                throw fail("unknown parameter '" + key + "' for style " + name
                        + (read.isEmpty() ? " (it takes none)" : " (it takes: " + String.join(", ", read) + ")"));
            }
        }
    }

    public DeclarationError fail(String reason) {
        return new DeclarationError(what, name + ": " + reason);
    }

    @Override
    public String toString() {
        return what + " " + name + " " + parameters;
    }
}
