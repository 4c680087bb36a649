package com.dce.etl.webhook;

import java.util.List;

import com.dce.etl.style.StyleSpec;

import io.vertx.core.http.HttpServerRequest;

/**
 * A shared token in a header ({@code Authorization: Token <token>}, also {@code Token token="<token>"}) or in a URL
 * parameter ({@code ?token=<token>}): what TrackDrive and Retreaver operators can put into a webhook URL or header.
 * {@code token secret=dce.trackdrive.webhook-token header=Authorization scheme=Token query=token}.
 */
public final class TokenAuth implements WebhookAuth {
    private final String secretSetting;
    private final String header;
    private final String scheme;
    private final String query;

    private TokenAuth(String secretSetting, String header, String scheme, String query) {
        this.secretSetting = secretSetting;
        this.header = header;
        this.scheme = scheme;
        this.query = query;
    }

    @Override
    public boolean verify(HttpServerRequest request, byte[] body, String secret) {
        String given = request.getHeader(header);
        if (given != null && SecretComparison.matches(secret, fromHeader(given.trim()))) {
            return true;
        }
        return query != null && SecretComparison.matches(secret, request.getParam(query));
    }

    private String fromHeader(String value) {
        if (scheme.isEmpty()) {
            return value;
        }
        if (!value.regionMatches(true, 0, scheme + " ", 0, scheme.length() + 1)) {
            return null;
        }
        String token = value.substring(scheme.length() + 1).trim();
        if (token.startsWith("token=")) {
            token = token.substring(6);
            if (token.length() >= 2 && token.startsWith("\"") && token.endsWith("\"")) {
                token = token.substring(1, token.length() - 1);
            }
        }
        return token;
    }

    @Override
    public String secretSetting() {
        return secretSetting;
    }

    @Override
    public List<String> secretParameters() {
        return query == null ? List.of() : List.of(query);
    }

    /** {@code token secret= header= scheme= query=}; {@code query=} (empty) accepts the header only. */
    public static final class Style implements WebhookAuthStyle {
        @Override
        public String name() {
            return "token";
        }

        @Override
        public WebhookAuth create(StyleSpec spec) {
            boolean queryGiven = spec.parameters().containsKey("query");
            String query = queryGiven ? spec.optional("query").orElse(null) : "token";
            return new TokenAuth(spec.require("secret"), spec.get("header", "Authorization"),
                    spec.parameters().containsKey("scheme") ? spec.optional("scheme").orElse("") : "Token", query);
        }
    }
}
