package com.dce.etl.config;

import java.util.Optional;

/** A mistake in the configuration (a key, a mapping file, a route's bean); the message says where and why. */
public class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }

    /** The mistake behind {@code failure}, however deep Camel wrapped it. */
    public static Optional<ConfigurationException> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException mistake) {
                return Optional.of(mistake);
            }
        }
        return Optional.empty();
    }
}
