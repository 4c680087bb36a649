package com.dce.etl.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * A setting read before Camel's properties exist (the log format, which Logback needs before the first line; the
 * mapping directory of the {@code map} command), with the service's precedence: {@code -Ddce.x.y}, then the
 * environment variable {@code DCE_X_Y}, then {@code config/application.properties} when it is there.
 */
public final class EarlySetting {
    public static final Path CONFIG = Path.of("config", "application.properties");

    private EarlySetting() {
    }

    /** The trimmed value, or empty when it is set nowhere or blank. */
    public static Optional<String> find(String key) throws IOException {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        if (value == null && Files.isRegularFile(CONFIG)) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(CONFIG)) {
                file.load(reader);
            }
            value = file.getProperty(key);
        }
        return Optional.ofNullable(value).map(String::trim).filter(text -> !text.isEmpty());
    }
}
