package com.dce.etl.admin;

import java.time.OffsetDateTime;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

import com.dce.etl.config.Settings;
import com.dce.etl.input.Refused;
import com.dce.etl.webhook.BasicPassword;
import com.dce.etl.webhook.BearerToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;

/**
 * What every admin resource shares: the check of {@code Authorization: Bearer <dce.admin.token>} (constant time; with
 * no token configured the admin API answers 404) and JSON answers.
 */
public final class AdminAccess {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;

    public AdminAccess(Settings settings) {
        this.settings = settings;
    }

    /** The request when its bearer token is right; otherwise answers 404 (API off) or 401 and returns empty. */
    Optional<HttpServerRequest> authorized(Exchange exchange) {
        HttpServerRequest request = exchange.getMessage(HttpMessage.class).getRequest();
        Optional<String> token = settings.find("dce.admin.token");
        if (token.isEmpty()) {
            respond(exchange, 404, error("the admin API is off; set dce.admin.token to turn it on"));
            return Optional.empty();
        }
        if (!BearerToken.matches(token.get(), request.getHeader("Authorization"))) {
            respond(exchange, 401, error("missing or wrong bearer token"));
            return Optional.empty();
        }
        return Optional.of(request);
    }

    /**
     * For pages a person opens in a browser: the admin token as a bearer token or as the password of HTTP Basic (any
     * user name). Otherwise 401 with {@code WWW-Authenticate: Basic}, so the browser asks for it.
     */
    Optional<HttpServerRequest> authorizedPerson(Exchange exchange) {
        HttpServerRequest request = exchange.getMessage(HttpMessage.class).getRequest();
        Optional<String> token = settings.find("dce.admin.token");
        if (token.isEmpty()) {
            respond(exchange, 404, error("the status page is off; set dce.admin.token to turn it on"));
            return Optional.empty();
        }
        String authorization = request.getHeader("Authorization");
        if (!BearerToken.matches(token.get(), authorization) && !BasicPassword.matches(token.get(), authorization)) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Basic realm=\"dce-etl\", charset=\"UTF-8\"");
            respond(exchange, 401, error("the admin token is needed: as the password (any user name) or as a bearer"
                    + " token"));
            return Optional.empty();
        }
        return Optional.of(request);
    }

    /** The request's body as JSON; null when it is empty or not JSON. */
    static JsonNode jsonBody(Exchange exchange) {
        try {
            return JSON.readTree(exchange.getMessage().getBody(String.class));
        } catch (Exception notJson) {
            return null;
        }
    }

    /** {@code 400} with the reason and the field at fault, the answer to every refused request. */
    static void refuse(Exchange exchange, Refused refused) {
        respond(exchange, 400, error(refused.getMessage()).put("field", refused.field()));
    }

    static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    static void respond(Exchange exchange, int status, Object body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body.toString());
    }

    static String text(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }
}
