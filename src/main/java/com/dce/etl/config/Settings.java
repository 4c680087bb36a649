package com.dce.etl.config;

import java.util.Optional;

import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed access to the {@code dce.*} keys. Values come through Camel's properties component, so each key can be set in
 * {@code config/application.properties}, overridden by an environment variable ({@code DCE_HTTP_PORT}) or by
 * {@code -Ddce.http.port=...}. A malformed value stops start-up with the key and the reason.
 */
public final class Settings {
    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    /** The trimmed value, or empty when the key is unset or blank. */
    public Optional<String> find(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(value -> !value.isEmpty());
    }

    public String get(String key, String fallback) {
        return find(key).orElse(fallback);
    }

    public String require(String key) {
        return find(key).orElseThrow(() -> new ConfigurationException(key + " must be set"));
    }

    public int getInt(String key, int fallback) {
        return find(key).map(value -> parseLong(key, value)).map(Math::toIntExact).orElse(fallback);
    }

    public long getLong(String key, long fallback) {
        return find(key).map(value -> parseLong(key, value)).orElse(fallback);
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key + ": '" + value + "' is not a whole number");
        }
    }
}
