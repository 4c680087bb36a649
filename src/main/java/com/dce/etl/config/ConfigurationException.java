package com.dce.etl.config;

/** A mistake in the configuration (a key, a mapping file, a route's bean); the message says where and why. */
public class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }
}
