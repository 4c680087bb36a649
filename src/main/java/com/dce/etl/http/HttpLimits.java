package com.dce.etl.http;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import com.sun.management.UnixOperatingSystemMXBean;

import com.dce.etl.config.ConfigurationException;
import com.dce.etl.config.Settings;

/**
 * What the HTTP server allows one client: how many connections at once, how long a connection may sit idle, how long
 * the headers and the body of one request may take to arrive, how large a body may be, and whether HTTP/2 over clear
 * text is spoken.
 *
 * @param maxConnections connections open at once; when full, the longest idle one is closed for a new one
 * @param idleTimeout a connection with no bytes either way for this long is closed
 * @param headerTimeout the headers of a request must have arrived this long after their first byte
 * @param bodyTimeout the body of a request must have arrived this long after its headers
 * @param maxBodyBytes the largest body taken; a larger one gets 413 and the connection is closed
 * @param h2c whether a client may upgrade to HTTP/2 without TLS
 */
public record HttpLimits(int maxConnections, Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout,
        long maxBodyBytes, boolean h2c) {

    /** Each open connection holds a file descriptor; the rest of the process (database, files, clients) needs some. */
    private static final int DESCRIPTORS_KEPT_FOR_THE_REST = 200;

    /** The limits set in {@code dce.http.*}, with the connections capped by this process's open-file limit. */
    public static HttpLimits from(Settings settings) {
        long openFileLimit = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
        return from(settings, openFileLimit);
    }

    static HttpLimits from(Settings settings, long openFileLimit) {
        int wanted = settings.getInt("dce.http.max-connections", 1000);
        if (wanted < 1) {
            throw new ConfigurationException("dce.http.max-connections: must be at least 1, not " + wanted);
        }
        int allowed = openFileLimit <= 0 ? wanted
                : (int) Math.max(1, Math.min(wanted, openFileLimit - DESCRIPTORS_KEPT_FOR_THE_REST));
        return new HttpLimits(allowed,
                seconds(settings, "dce.http.idle-timeout-seconds", 60),
                seconds(settings, "dce.http.header-timeout-seconds", 10),
                seconds(settings, "dce.http.body-timeout-seconds", 30),
                settings.getLong("dce.webhook.max-body-bytes", 1_048_576),
                Boolean.parseBoolean(settings.get("dce.http.h2c", "false")));
    }

    private static Duration seconds(Settings settings, String key, long fallback) {
        long seconds = settings.getLong(key, fallback);
        if (seconds < 1) {
            throw new ConfigurationException(key + ": must be at least 1 second, not " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}
