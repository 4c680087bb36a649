package com.dce.etl.poll;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.mapping.ProviderJson;
import com.dce.etl.retry.Backoff;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * GETs one page of a provider API, riding out passing faults: timeouts, broken connections, 5xx and unreadable bodies
 * are retried with exponential backoff and jitter; 429 waits for {@code Retry-After} (or backs off when the provider
 * gives none). 401/403 fail at once: no retry fixes a revoked key. Logged URLs never include the query string, which
 * may hold an API key.
 */
public final class HttpPageFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(HttpPageFetcher.class);

    private final HttpClient client;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Duration requestTimeout;
    private final Duration maxRetryAfter;

    public HttpPageFetcher(HttpClient client, Backoff backoff, int maxAttempts, Duration requestTimeout,
            Duration maxRetryAfter) {
        this.client = client;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.requestTimeout = requestTimeout;
        this.maxRetryAfter = maxRetryAfter;
    }

    public Page fetch(URI uri, Map<String, String> headers) throws PollFailure, InterruptedException {
        String where = withoutQuery(uri);
        String lastProblem = "";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Duration wait;
            try {
                HttpResponse<String> response = client.send(request(uri, headers), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new Page(uri, response.headers(), ProviderJson.read(response.body()));
                }
                if (status == 401 || status == 403) {
                    throw new ProviderRefusedCredentials("HTTP " + status + " from " + where
                            + ": the provider refused the credentials");
                }
                lastProblem = "HTTP " + status;
                if (status == 429) {
                    wait = retryAfter(response).orElse(backoff.delay(attempt));
                } else if (status >= 500) {
                    wait = backoff.delay(attempt);
                } else {
                    throw new PollFailure("HTTP " + status + " from " + where + ": " + shorten(response.body()));
                }
            } catch (JsonProcessingException e) {
                lastProblem = "unreadable JSON";
                wait = backoff.delay(attempt);
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                wait = backoff.delay(attempt);
            }
            if (attempt < maxAttempts) {
                LOG.warn("GET {} failed ({}), attempt {} of {}; retrying in {} ms",
                        where, lastProblem, attempt, maxAttempts, wait.toMillis());
                Thread.sleep(wait.toMillis());
            }
        }
        throw new PollFailure("GET " + where + " failed " + maxAttempts + " times, last: " + lastProblem);
    }

    private HttpRequest request(URI uri, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(requestTimeout)
                .header("Accept", "application/json");
        headers.forEach(builder::header);
        return builder.build();
    }

    /** Retry-After in seconds or as an HTTP date, capped so a provider cannot park a poller for hours. */
    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::trim).flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                    return Optional.of(Duration.between(ZonedDateTime.now(), at));
                } catch (DateTimeParseException notDate) {
                    return Optional.empty();
                }
            }
        }).map(d -> d.isNegative() ? Duration.ZERO : d).map(d -> d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d);
    }

    static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }

    private static String shorten(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
