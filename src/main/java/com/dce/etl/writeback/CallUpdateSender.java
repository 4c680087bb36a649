package com.dce.etl.writeback;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.dce.etl.config.Settings;
import com.dce.etl.http.RetryAfterHeader;

/**
 * Sends one call update to TrackDrive ({@code POST {base-url}/api/v1/calls/{id or uuid}}, Basic auth with the
 * poller's keys, the fields as the JSON body) and says what its answer means: applied (2xx), not applied (429, 5xx:
 * safe to send again), refused (another 4xx: no retry helps), or no answer at all (timeout, broken connection: it
 * may or may not have been applied).
 */
public final class CallUpdateSender {
    /** What the provider's answer means for the update. */
    public sealed interface Answer {
    }

    public record Applied(int status) implements Answer {
    }

    public record NotApplied(int status, Optional<Duration> retryAfter, String error) implements Answer {
    }

    public record Refused(int status, String body) implements Answer {
    }

    public record NoAnswer(String error) implements Answer {
    }

    private static final int BODY_LIMIT = 1000;

    private final HttpClient http;
    private final Settings settings;
    private final Duration timeout;

    public CallUpdateSender(HttpClient http, Settings settings, Duration timeout) {
        this.http = http;
        this.settings = settings;
        this.timeout = timeout;
    }

    /** The settings that must be set before updates can be sent; empty when write-back is on. */
    public List<String> missingSettings() {
        return List.of("dce.trackdrive.base-url", "dce.trackdrive.public-key", "dce.trackdrive.private-key").stream()
                .filter(key -> settings.find(key).isEmpty()).toList();
    }

    public Answer send(CallUpdate update) throws InterruptedException {
        String user = settings.require("dce.trackdrive.public-key");
        String password = settings.require("dce.trackdrive.private-key");
        URI uri = URI.create(settings.require("dce.trackdrive.base-url").replaceAll("/+$", "") + "/api/v1/calls/"
                + URLEncoder.encode(update.callRef(), StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(update.fields().toString())).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new NoAnswer(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Applied(status);
        }
        if (status == 429 || status >= 500) {
            return new NotApplied(status, RetryAfterHeader.of(response), "HTTP " + status);
        }
        return new Refused(status, withoutSecrets(response.body(), user, password));
    }

    /** The provider's answer as stored in a dead letter: short, and without the credentials should it echo them. */
    private static String withoutSecrets(String body, String user, String password) {
        String text = body == null ? "" : body.strip();
        for (String secret : List.of(user, password)) {
            if (secret.length() >= 4) {
                text = text.replace(secret, "***");
            }
        }
        return text.length() <= BODY_LIMIT ? text : text.substring(0, BODY_LIMIT) + "...";
    }
}
