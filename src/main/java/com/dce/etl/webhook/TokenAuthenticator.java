package com.dce.etl.webhook;

import io.vertx.core.http.HttpServerRequest;

/**
 * A shared token, in {@code Authorization: Token <token>} (also {@code Token token="<token>"}) or in
 * {@code ?token=<token>}: what TrackDrive and Retreaver operators can put in a webhook URL or header.
 */
final class TokenAuthenticator implements WebhookAuthenticator {
    static final String QUERY_PARAMETER = "token";

    private final String token;

    TokenAuthenticator(String token) {
        this.token = token;
    }

    @Override
    public boolean verify(HttpServerRequest request, byte[] body) {
        String header = request.getHeader("Authorization");
        if (header != null && SecretComparison.matches(token, tokenFromHeader(header.trim()))) {
            return true;
        }
        return SecretComparison.matches(token, request.getParam(QUERY_PARAMETER));
    }

    private static String tokenFromHeader(String header) {
        if (!header.regionMatches(true, 0, "Token ", 0, 6)) {
            return null;
        }
        String value = header.substring(6).trim();
        if (value.startsWith("token=")) {
            value = value.substring(6);
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
        }
        return value;
    }
}
