package com.dce.etl.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

/** The admin API of a running service, as the command line asks it: JSON in, JSON out, the admin token sent. */
final class AdminApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: its status and its JSON body (a null node when it had none). */
    record Answer(int status, JsonNode body) {
        String error() {
            return body.path("error").asText("HTTP " + status);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    AdminApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    Answer post(String path, JsonNode body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    static ObjectMapper json() {
        return JSON;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException("no service answers at " + base + " (is it running? --url says where)", e);
        }
        JsonNode body;
        try {
            body = response.body().isBlank() ? NullNode.getInstance() : JSON.readTree(response.body());
        } catch (IOException notJson) {
            body = NullNode.getInstance();
        }
        return new Answer(response.statusCode(), body);
    }
}
