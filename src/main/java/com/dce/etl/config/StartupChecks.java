package com.dce.etl.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Properties;
import java.util.regex.Pattern;

import org.apache.camel.spi.PropertiesComponent;

/**
 * What start-up checks before it opens anything, so a mistake ends in one line naming the key: every key whose shipped
 * value is a whole number must still be one however it was overridden (an environment variable {@code
 * DCE_INBOX_WORKERS=two} would otherwise fail deep inside a route's endpoint), and the HTTP port must be free (Vert.x
 * binds in the background and would only log the failure while the pollers went on without a listener).
 */
public final class StartupChecks {
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d+");

    private StartupChecks() {
    }

    /** {@code portMustBeFree}: false for {@code validate}, which may run beside the service. */
    public static void run(PropertiesComponent properties, Settings settings, boolean portMustBeFree) {
        Properties shipped = properties.loadProperties(key -> key.startsWith("dce."));
        for (String key : shipped.stringPropertyNames()) {
            if (WHOLE_NUMBER.matcher(shipped.getProperty(key).trim()).matches()) {
                settings.getLong(key, 0);
            }
        }
        int port = settings.getInt("dce.http.port", 8080);
        if (port < 0 || port > 65_535) {
            throw new ConfigurationException("dce.http.port: " + port + " is not a port (0-65535)");
        }
        String host = settings.get("dce.http.host", "0.0.0.0");
        if (port != 0 && portMustBeFree) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(host, port));
            } catch (IOException e) {
                throw new ConfigurationException("dce.http.port: cannot listen on " + host + ":" + port + " ("
                        + e.getMessage() + "); another process has it, or set dce.http.port / DCE_HTTP_PORT");
            }
        }
    }
}
