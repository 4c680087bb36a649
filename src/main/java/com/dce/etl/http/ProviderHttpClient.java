package com.dce.etl.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.mapping.ProviderAnswer;
import com.dce.etl.mapping.ProviderJson;
import com.dce.etl.mapping.SourcePath;
import com.dce.etl.retry.RetryAfter;
import com.dce.etl.retry.RetryPolicy;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Sends one request to a provider's API and reads its JSON answer, riding out passing faults with the retry policy:
 * timeouts, broken connections, 5xx and unreadable bodies are retried with backoff; 429 waits for {@code Retry-After}
 * (or backs off when the provider gives none). 401/403 fail at once: no retry fixes a revoked key; another 4xx fails
 * with the provider's answer. Logs name the request without its query string, which may hold credentials.
 */
public final class ProviderHttpClient {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderHttpClient.class);

    private final HttpClient client;
    private final RetryPolicy retry;
    private final Duration requestTimeout;

    public ProviderHttpClient(HttpClient client, RetryPolicy retry, Duration requestTimeout) {
        this.client = client;
        this.retry = retry;
        this.requestTimeout = requestTimeout;
    }

    /** A passing fault of one try. */
    private static class Passing extends Exception {
        Passing(String message) {
            super(message, null, false, false);
        }
    }

    /** An HTTP 429: the provider says when to come back, or the policy's backoff decides. */
    private static final class Busy extends Passing implements RetryAfter {
        private final Duration wait;

        Busy(String message, Duration wait) {
            super(message);
            this.wait = wait;
        }

        @Override
        public Duration retryAfter() {
            return wait;
        }
    }

    /** The answer to {@code request}, with the text of each record in the array at {@code records} (null: the body). */
    public Page send(ProviderRequest request, SourcePath records) throws ProviderApiFailure, InterruptedException {
        try {
            return retry.run(attempt -> once(request, records), failure -> failure instanceof Passing,
                    (attempt, failure, wait) -> LOG.warn("{} failed ({}), attempt {} of {}; retrying in {} ms",
                            request.where(), failure.getMessage(), attempt, retry.maxAttempts(), wait.toMillis()));
        } catch (Passing e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException(request.where() + " interrupted while retrying");
            }
            throw new ProviderApiFailure(request.where() + " failed " + retry.maxAttempts() + " times, last: "
                    + e.getMessage());
        } catch (ProviderApiFailure | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unexpected failure of " + request.where(), e);
        }
    }

    private Page once(ProviderRequest request, SourcePath records)
            throws Passing, ProviderApiFailure, InterruptedException {
        HttpResponse<String> response;
        try {
            response = client.send(http(request), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Passing(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            try {
                ProviderAnswer answer = ProviderJson.readAnswer(response.body(), records);
                return new Page(request, response.headers(), answer.body(), answer.recordTexts(),
                        OffsetDateTime.now(ZoneOffset.UTC));
            } catch (JsonProcessingException e) {
                throw new Passing("unreadable JSON");
            }
        }
        if (status == 401 || status == 403) {
            throw new ProviderRefusedCredentials("HTTP " + status + " from " + request.where()
                    + ": the provider refused the credentials");
        }
        if (status == 429) {
            throw new Busy("HTTP 429", RetryAfterHeader.of(response).orElse(null));
        }
        if (status >= 500) {
            throw new Passing("HTTP " + status);
        }
        throw new ProviderApiFailure("HTTP " + status + " from " + request.where() + ": " + shorten(response.body()));
    }

    private HttpRequest http(ProviderRequest request) {
        HttpRequest.BodyPublisher body = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body().toString());
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).method(request.method(), body)
                .timeout(requestTimeout).header("Accept", "application/json");
        if (request.body() != null) {
            builder.header("Content-Type", "application/json");
        }
        request.headers().forEach(builder::header);
        return builder.build();
    }

    private static String shorten(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
