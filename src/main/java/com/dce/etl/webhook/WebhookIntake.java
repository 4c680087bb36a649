package com.dce.etl.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
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

import io.vertx.core.http.HttpServerRequest;

/**
 * A provider's webhook endpoint, declared with the {@code webhook-intake} route template. It answers every request
 * itself: 401 without the provider's secret ({@code auth}, a {@link WebhookAuth} style, checked before the body is
 * even decoded), 413 over {@code dce.webhook.max-body-bytes}, 415 for form posts where JSON is expected, 400 for a
 * body that is not UTF-8 JSON holding an object, 503 when the inbox cannot be written, and 202 once the request is
 * committed to {@code dce_inbox}. Loading happens after the answer, so a provider never waits on mapping or upserts.
 */
public final class WebhookIntake implements Processor, Channel, Declared {
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
     * The request body as bytes. It arrives as Camel's stream cache, in memory, so {@code available()} is its length
     * and it is read into one array of that size. Camel's converter to bytes wrapped it in a BufferedInputStream and
     * copied it through a transfer buffer: 1.3 GB of the 8.6 GB the service allocated in 30 s of webhooks (a flight
     * recording), for bodies of a few hundred bytes.
     */
    private static byte[] bodyOf(Message message) throws IOException {
        if (!(message.getBody() instanceof InputStream stream)) {
            return Optional.ofNullable(message.getBody(byte[].class)).orElse(new byte[0]);
        }
        byte[] available = new byte[stream.available()];
        int read = stream.readNBytes(available, 0, available.length);
        int next = stream.read();
        if (next == -1) {
            return read == available.length ? available : Arrays.copyOf(available, read);
        }
        // a stream that had not all of it at hand
        ByteArrayOutputStream all = new ByteArrayOutputStream(read + 1024);
        all.write(available, 0, read);
        all.write(next);
        stream.transferTo(all);
        return all.toByteArray();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        HttpServerRequest request = exchange.getMessage(HttpMessage.class).getRequest();
        byte[] body = bodyOf(exchange.getMessage());

        if (secret.isEmpty()) {
            // off, not a credentials problem: saying so spares a user hunting for a token that was never set
            answer(exchange, 404, error(provider + " webhooks are off: set "
                    + String.join(" and ", missingSettings())));
            return;
        }
        if (!webhookAuth.verify(request, body, secret.get())) {
            answer(exchange, 401, error("missing or wrong credentials"));
            return;
        }
        if (body.length > httpLimits.maxBodyBytes()) {
            answer(exchange, 413, error("body is larger than " + httpLimits.maxBodyBytes() + " bytes"));
            return;
        }
        String payload;
        try {
            payload = payloads.read(request, body);
        } catch (WebhookPayload.Rejected e) {
            answer(exchange, e.status(), error(e.getMessage()));
            return;
        }
        long id;
        try {
            id = inboxWriter.add(provider, "webhook", exchange.getFromRouteId(), payload);
        } catch (SQLException e) {
            STORAGE_DOWN.warn(provider + " webhook not stored, answering 503: " + SqlFailures.describe(e));
            exchange.getMessage().setHeader("Retry-After", "30");
            answer(exchange, 503, error("storage unavailable, retry later"));
            return;
        }
        metrics.webhook(provider, 202);
        respond(exchange, 202, JSON.createObjectNode().put("status", "accepted").put("id", Long.toString(id))
                .toString());
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
