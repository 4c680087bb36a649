package com.dce.etl.webhook;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.channel.Channel;
import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.config.DeclarationError;
import com.dce.etl.config.Declared;
import com.dce.etl.config.Settings;
import com.dce.etl.db.SqlFailures;
import com.dce.etl.http.HttpLimits;
import com.dce.etl.inbox.InboxWriter;
import com.dce.etl.observe.PipelineMetrics;
import com.dce.etl.observe.ThrottledWarning;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * A provider's webhook endpoint, declared with the {@code webhook-intake} route template. It answers every request
 * itself: 401 without the provider's secret ({@code auth}, a {@link WebhookAuth} style, checked before the body is
 * even decoded), 413 over {@code dce.webhook.max-body-bytes}, 415 for form posts where JSON is expected, 400 for a
 * body that is not UTF-8 JSON holding an object, 503 when the inbox cannot be written, and 202 once the request is
 * committed to {@code dce_inbox}. Loading happens after the answer, so a provider never waits on mapping or upserts.
 */
public final class WebhookIntake extends AsyncProcessorSupport implements Channel, Declared {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThrottledWarning STORAGE_DOWN = new ThrottledWarning(LOG, 10_000);

    private String provider;
    private String auth;
    private boolean queryFields;
    private String envelope = "call";

    private Settings settings;
    private InboxWriter inboxWriter;
    private PipelineMetrics metrics;
    private ChannelRegistry channels;

    private WebhookAuth webhookAuth;
    private WebhookPayload payloads;
    private HttpLimits httpLimits;
    private Optional<String> secret;

    /** Checks the declaration, reads its settings and registers the endpoint; the route template's init method. */
    public void init() {
        validate();
        // once, not per request: settings do not change while the service runs (a reloaded routes file makes a new
        // intake), and each lookup through Camel's properties component searched the environment and updated its
        // record of lookups; the secret's and the body limit's were a quarter of the request threads' samples under
        // webhook load (the body limit comes from HttpLimits, read once at start)
        secret = webhookAuth.secret(settings);
        channels.register(this);
    }

    @Override
    public void validate() {
        if (provider == null || provider.isBlank()) {
            throw new DeclarationError("provider", "is required");
        }
        if (auth == null || auth.isBlank()) {
            throw new DeclarationError("auth", "is required");
        }
        webhookAuth = WebhookAuth.STYLES.create("auth", auth);
        payloads = new WebhookPayload(queryFields, envelope, webhookAuth.secretParameters());
    }

    /**
     * Answers at once (and returns true) when the request is turned away; otherwise returns false and answers 202 or
     * 503 once the inbox writer is done with it, on the thread that received the request (its event loop), so that
     * no thread waits for the commit.
     */
    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        HttpServerRequest request = exchange.getMessage(HttpMessage.class).getRequest();
        byte[] body = Optional.ofNullable(exchange.getMessage().getBody(byte[].class)).orElse(new byte[0]);

        if (secret.isEmpty()) {
            // off, not a credentials problem: saying so spares a user hunting for a token that was never set
            return turnAway(exchange, callback, 404, provider + " webhooks are off: set "
                    + String.join(" and ", missingSettings()));
        }
        if (!webhookAuth.verify(request, body, secret.get())) {
            return turnAway(exchange, callback, 401, "missing or wrong credentials");
        }
        if (body.length > httpLimits.maxBodyBytes()) {
            return turnAway(exchange, callback, 413, "body is larger than " + httpLimits.maxBodyBytes() + " bytes");
        }
        String payload;
        try {
            payload = payloads.read(request, body);
        } catch (WebhookPayload.Rejected e) {
            return turnAway(exchange, callback, e.status(), e.getMessage());
        }
        Context receiver = Vertx.currentContext();
        inboxWriter.submit(provider, "webhook", exchange.getFromRouteId(), payload).whenComplete((id, failure) -> {
            Runnable answer = () -> {
                if (failure == null) {
                    metrics.webhook(provider, 202);
                    // written out, not through Jackson's tree (1.5% of the event loop's samples): a number needs
                    // no escaping
                    respond(exchange, 202, "{\"status\":\"accepted\",\"id\":\"" + id + "\"}");
                } else {
                    STORAGE_DOWN.warn(provider + " webhook not stored, answering 503: "
                            + (failure instanceof SQLException sql ? SqlFailures.describe(sql) : failure.toString()));
                    exchange.getMessage().setHeader("Retry-After", "30");
                    answer(exchange, 503, error("storage unavailable, retry later"));
                }
                callback.done(false);
            };
            // off the writer's thread: it has the next batch to store
            if (receiver == null) {
                answer.run();
            } else {
                receiver.runOnContext(ignored -> answer.run());
            }
        });
        return false;
    }

    private boolean turnAway(Exchange exchange, AsyncCallback callback, int status, String message) {
        answer(exchange, status, error(message));
        callback.done(true);
        return true;
    }

    private void answer(Exchange exchange, int status, String body) {
        metrics.webhook(provider, status);
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
    public String kind() {
        return "webhook";
    }

    @Override
    public String name() {
        return "webhooks";
    }


    @Override
    public String describe() {
        return provider + " webhooks (" + auth.strip().split(" ")[0] + ")";
    }

    @Override
    public List<String> missingSettings() {
        return secret.isPresent() ? List.of() : List.of(webhookAuth.secretSetting());
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }


    public void setAuth(String auth) {
        this.auth = auth;
    }

    public void setQueryFields(boolean queryFields) {
        this.queryFields = queryFields;
    }

    public void setEnvelope(String envelope) {
        this.envelope = envelope == null || envelope.isBlank() ? null : envelope.trim();
    }

    public void setSettings(Settings settings) {
        this.settings = settings;
    }

    public void setInboxWriter(InboxWriter inboxWriter) {
        this.inboxWriter = inboxWriter;
    }

    public void setMetrics(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    public void setChannels(ChannelRegistry channels) {
        this.channels = channels;
    }

    public void setHttpLimits(HttpLimits httpLimits) {
        this.httpLimits = httpLimits;
    }
}
