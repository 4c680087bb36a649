package com.dce.etl.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.config.ConfigurationException;
import com.dce.etl.config.DceServices;
import com.dce.etl.config.ProviderSwitch;
import com.dce.etl.db.SqlFailures;
import com.dce.etl.mapping.ProviderJson;
import com.dce.etl.observe.ThrottledWarning;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * A provider's webhook endpoint, declared as a bean in the provider's routes file. It answers every request itself:
 * 401 without the provider's secret (checked before the body is even decoded), 413 over
 * {@code dce.webhook.max-body-bytes}, 415 for form posts where JSON is expected, 400 for a body that is not UTF-8 JSON
 * holding an object, 503 when the inbox cannot be written, and 202 once the request is committed to
 * {@code dce_inbox}. Loading happens after the answer, so a provider never waits on mapping or upserts.
 */
public final class WebhookReceiver implements Processor, CamelContextAware, ProviderSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThrottledWarning STORAGE_DOWN = new ThrottledWarning(LOG, 10_000);

    private CamelContext camelContext;
    private String provider;
    private String authentication = "token";
    private String secretSetting;
    private boolean queryFields;

    private volatile WebhookAuthenticator authenticator;

    @Override
    public void process(Exchange exchange) throws Exception {
        DceServices services = DceServices.of(camelContext);
        HttpServerRequest request = exchange.getMessage(HttpMessage.class).getRequest();
        byte[] body = Optional.ofNullable(exchange.getMessage().getBody(byte[].class)).orElse(new byte[0]);

        Optional<WebhookAuthenticator> auth = authenticator(services);
        if (auth.isEmpty() || !auth.get().verify(request, body)) {
            answer(exchange, services, 401, error("missing or wrong credentials"));
            return;
        }
        long maxBytes = services.settings().getLong("dce.webhook.max-body-bytes", 1_048_576);
        if (body.length > maxBytes) {
            answer(exchange, services, 413, error("body is larger than " + maxBytes + " bytes"));
            return;
        }
        String payload;
        try {
            payload = payload(request, body);
        } catch (RejectedRequest e) {
            answer(exchange, services, e.status, error(e.getMessage()));
            return;
        }
        long id;
        try {
            id = services.inboxWriter().add(provider, "webhook", exchange.getFromRouteId(), payload);
        } catch (SQLException e) {
            STORAGE_DOWN.warn(provider + " webhook not stored, answering 503: " + SqlFailures.describe(e));
            exchange.getMessage().setHeader("Retry-After", "30");
            answer(exchange, services, 503, error("storage unavailable, retry later"));
            return;
        }
        ObjectNode accepted = JSON.createObjectNode().put("status", "accepted").put("id", Long.toString(id));
        services.metrics().webhook(provider, 202);
        respond(exchange, 202, accepted.toString());
    }

    /** The text stored in the inbox: the body as received, or with query/form fields added for URL-token webhooks. */
    private String payload(HttpServerRequest request, byte[] body) throws RejectedRequest {
        String contentType = Optional.ofNullable(request.getHeader("Content-Type")).orElse("").toLowerCase();
        boolean form = contentType.startsWith("application/x-www-form-urlencoded")
                || contentType.startsWith("multipart/form-data");
        if (form && !queryFields) {
            throw new RejectedRequest(415, "send the call as JSON (Content-Type: application/json)");
        }
        String text = form ? "" : utf8(body);
        Map<String, List<String>> fields = queryFields ? fields(request.params()) : Map.of();
        if (text.isBlank()) {
            if (fields.isEmpty()) {
                throw new RejectedRequest(400, "no call in the request: send a JSON object"
                        + (queryFields ? " or query parameters" : ""));
            }
            return withFields(JSON.createObjectNode(), fields).toString();
        }
        try {
            if (fields.isEmpty()) {
                // checked without building a tree: the inbox stores the text as received
                if (!ProviderJson.isObject(text)) {
                    throw new RejectedRequest(400, "body must be a JSON object");
                }
                return text;
            }
            JsonNode json = ProviderJson.read(text);
            if (!json.isObject()) {
                throw new RejectedRequest(400, "body must be a JSON object");
            }
            return withFields((ObjectNode) json, fields).toString();
        } catch (JsonProcessingException e) {
            throw new RejectedRequest(400, "body is not valid JSON");
        }
    }

    /** Adds URL fields to the call (the object under "call" when the body wraps it); body fields win. */
    private static ObjectNode withFields(ObjectNode root, Map<String, List<String>> fields) {
        ObjectNode call = root.get("call") instanceof ObjectNode inner ? inner : root;
        fields.forEach((name, values) -> {
            if (!call.has(name)) {
                call.put(name, String.join(",", values));
            }
        });
        return root;
    }

    private static Map<String, List<String>> fields(MultiMap params) {
        Map<String, List<String>> fields = new java.util.LinkedHashMap<>();
        for (String name : params.names()) {
            if (!name.equals(TokenAuthenticator.QUERY_PARAMETER)) {
                fields.put(name, params.getAll(name));
            }
        }
        return fields;
    }

    private static String utf8(byte[] body) throws RejectedRequest {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new RejectedRequest(400, "body is not valid UTF-8");
        }
    }

    private Optional<WebhookAuthenticator> authenticator(DceServices services) {
        if (authenticator == null) {
            Optional<String> secret = services.settings().find(secretSetting);
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            authenticator = "signature".equals(authentication)
                    ? new SignatureAuthenticator(secret.get()) : new TokenAuthenticator(secret.get());
        }
        return Optional.of(authenticator);
    }

    private void answer(Exchange exchange, DceServices services, int status, String body) {
        services.metrics().webhook(provider, status);
        respond(exchange, status, body);
        exchange.setRouteStop(true);
    }

    private static void respond(Exchange exchange, int status, String body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body);
    }

    private static String error(String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public String describe() {
        return provider + " webhooks (" + authentication + ")";
    }

    @Override
    public void validate() {
        if (!"token".equals(authentication) && !"signature".equals(authentication)) {
            throw new ConfigurationException(describe() + ": authentication must be token or signature");
        }
        if (provider == null || secretSetting == null) {
            throw new ConfigurationException("a WebhookReceiver bean needs provider and secretSetting");
        }
    }

    @Override
    public List<String> missingSettings() {
        return DceServices.of(camelContext).settings().find(secretSetting).isPresent()
                ? List.of() : List.of(secretSetting);
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public void setAuthentication(String authentication) {
        this.authentication = authentication;
    }

    public void setSecretSetting(String secretSetting) {
        this.secretSetting = secretSetting;
    }

    public void setQueryFields(boolean queryFields) {
        this.queryFields = queryFields;
    }

    private static final class RejectedRequest extends Exception {
        private final int status;

        RejectedRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
