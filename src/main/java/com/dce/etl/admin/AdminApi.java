package com.dce.etl.admin;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.config.DceServices;
import com.dce.etl.config.ProviderSwitch;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.deadletter.StoredDeadLetter;
import com.dce.etl.pipeline.CallBatch;
import com.dce.etl.pipeline.SourceRecord;
import com.dce.etl.poll.PollState;
import com.dce.etl.poll.ProviderApiJob;
import com.dce.etl.webhook.BearerToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;

/**
 * The admin API of SPEC section 6, behind {@code Authorization: Bearer <dce.admin.token>} (compared in constant time;
 * with no token configured the API answers 404): list, replay and discard dead letters, and the per-provider status.
 * A replay sends the stored payload through the load route as it is today, so a fixed mapping file recovers it.
 */
public final class AdminApi {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEAD_LETTER_ACTION = Pattern.compile("/admin/dead-letters/(\\d+)/(replay|discard)");
    private static final Pattern POLL_RUN = Pattern.compile("/admin/polls/([^/]+)/([^/]+)/run");
    private static final int MAX_LIST = 1000;

    private final CamelContext context;
    private final ExecutorService manualRuns;

    public AdminApi(CamelContext context) {
        this.context = context;
        this.manualRuns = context.getExecutorServiceManager().newCachedThreadPool(this, "admin-poll-run");
    }

    /**
     * {@code POST /admin/polls/{provider}/{stream}/run}: starts that poll (or tracker sync) now, on this instance, in the
     * background; 202 when started, 409 when it is running already or switched off.
     */
    public void runPoll(Exchange exchange) {
        Optional<HttpServerRequest> request = authorized(exchange);
        if (request.isEmpty()) {
            return;
        }
        Matcher path = POLL_RUN.matcher(request.get().path());
        Optional<ProviderApiJob> job = path.matches() ? context.getRegistry().findByType(ProviderApiJob.class).stream()
                .filter(j -> j.provider().equals(path.group(1)) && j.stream().equals(path.group(2))).findFirst()
                : Optional.empty();
        if (job.isEmpty()) {
            respond(exchange, 404, error("no such poll; see GET /admin/status for provider and stream names"));
            return;
        }
        List<String> missing = job.get().missingSettings();
        if (!missing.isEmpty()) {
            respond(exchange, 409, error(job.get().describe() + " is off; set " + String.join(", ", missing)));
            return;
        }
        if (job.get().isRunning()) {
            respond(exchange, 409, error(job.get().describe() + " is running already"));
            return;
        }
        manualRuns.submit(() -> {
            try {
                job.get().run();
            } catch (Exception e) {
                LOG.error("Manual run of {} failed: {}", job.get().describe(), e.getMessage());
            }
        });
        LOG.info("{} started through the admin API", job.get().describe());
        respond(exchange, 202, JSON.createObjectNode().put("status", "started").put("provider", path.group(1))
                .put("stream", path.group(2)));
    }

    /** {@code GET /admin/dead-letters?provider=&status=&limit=} */
    public void listDeadLetters(Exchange exchange) throws SQLException {
        Optional<HttpServerRequest> request = authorized(exchange);
        if (request.isEmpty()) {
            return;
        }
        int limit = Math.min(MAX_LIST, parseInt(request.get().getParam("limit"), 100));
        List<StoredDeadLetter> letters = services().deadLetters().list(blankToNull(request.get().getParam("provider")),
                blankToNull(request.get().getParam("status")), limit);
        ArrayNode list = JSON.createArrayNode();
        letters.forEach(letter -> list.add(json(letter)));
        respond(exchange, 200, list);
    }

    /** {@code POST /admin/dead-letters/{id}/replay} and {@code /discard} */
    public void deadLetterAction(Exchange exchange) throws SQLException {
        Optional<HttpServerRequest> request = authorized(exchange);
        if (request.isEmpty()) {
            return;
        }
        Matcher path = DEAD_LETTER_ACTION.matcher(request.get().path());
        if (!path.matches()) {
            respond(exchange, 404, error("no such admin resource"));
            return;
        }
        long id = Long.parseLong(path.group(1));
        DeadLetterStore store = services().deadLetters();
        Optional<StoredDeadLetter> letter = store.find(id);
        if (letter.isEmpty()) {
            respond(exchange, 404, error("no dead letter " + id));
        } else if (!DeadLetterStore.NEW.equals(letter.get().status())) {
            respond(exchange, 409, error("dead letter " + id + " is already " + letter.get().status()));
        } else if ("discard".equals(path.group(2))) {
            store.close(id, DeadLetterStore.DISCARDED);
            LOG.info("Dead letter {} ({}) discarded through the admin API", id, letter.get().provider());
            respond(exchange, 200, JSON.createObjectNode().put("id", id).put("status", DeadLetterStore.DISCARDED));
        } else {
            replay(exchange, letter.get());
        }
    }

    private void replay(Exchange exchange, StoredDeadLetter letter) throws SQLException {
        CallBatch batch = new CallBatch(letter.provider(), "replay", "admin-replay",
                List.of(SourceRecord.ofText(letter.payload(), OffsetDateTime.now(ZoneOffset.UTC))));
        CallBatch result = services().producer().requestBody("direct:load-calls", batch, CallBatch.class);
        if (result.loaded() == 1) {
            services().deadLetters().close(letter.id(), DeadLetterStore.REPLAYED);
            LOG.info("Dead letter {} ({}) replayed and loaded", letter.id(), letter.provider());
            respond(exchange, 200, JSON.createObjectNode().put("id", letter.id())
                    .put("status", DeadLetterStore.REPLAYED)
                    .put("external_call_id", result.calls().get(0).externalCallId()));
            return;
        }
        // the load route counted the failure on this same dead letter (same payload, still new)
        String reason = result.rejected().isEmpty() ? "not loaded" : result.rejected().get(0).reason().name();
        String message = result.rejected().isEmpty() ? "" : result.rejected().get(0).message();
        respond(exchange, 422, JSON.createObjectNode().put("id", letter.id()).put("status", "failed")
                .put("reason_code", reason).put("error_message", message));
    }

    /** {@code GET /admin/status}: per provider, its poll streams, dead letters waiting and webhooks not yet loaded. */
    public void status(Exchange exchange) throws SQLException {
        if (authorized(exchange).isEmpty()) {
            return;
        }
        DceServices services = services();
        List<PollState> streams = services.watermarks().all();
        Map<String, Long> waiting = services.deadLetters().waitingByProvider();
        Map<String, Long> pending = services.inbox().pendingByProvider();
        TreeSet<String> providers = new TreeSet<>(waiting.keySet());
        providers.addAll(pending.keySet());
        streams.forEach(stream -> providers.add(stream.provider()));
        context.getRegistry().findByType(ProviderSwitch.class).forEach(piece -> providers.add(piece.provider()));
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("providers");
        for (String provider : providers) {
            ObjectNode entry = list.addObject().put("provider", provider)
                    .put("dead_letters_waiting", waiting.getOrDefault(provider, 0L))
                    .put("webhooks_pending", pending.getOrDefault(provider, 0L));
            ArrayNode polls = entry.putArray("polls");
            streams.stream().filter(stream -> stream.provider().equals(provider)).forEach(stream -> polls.addObject()
                    .put("stream", stream.stream())
                    .put("watermark", text(stream.watermark()))
                    .put("last_success_at", text(stream.lastSuccessAt()))
                    .put("last_error", stream.lastError())
                    .put("rows_loaded", stream.rowsLoaded()));
        }
        respond(exchange, 200, root);
    }

    /** The request when its bearer token is right; otherwise answers 404 (API off) or 401 and returns empty. */
    private Optional<HttpServerRequest> authorized(Exchange exchange) {
        HttpServerRequest request = exchange.getMessage(HttpMessage.class).getRequest();
        Optional<String> token = services().settings().find("dce.admin.token");
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

    private DceServices services() {
        return DceServices.of(context);
    }

    private static ObjectNode json(StoredDeadLetter letter) {
        return JSON.createObjectNode().put("id", letter.id()).put("provider", letter.provider())
                .put("channel", letter.channel()).put("route_id", letter.routeId())
                .put("reason_code", letter.reasonCode()).put("error_message", letter.errorMessage())
                .put("payload", letter.payload()).put("attempts", letter.attempts()).put("status", letter.status())
                .put("created_at", text(letter.createdAt())).put("updated_at", text(letter.updatedAt()));
    }

    private static String text(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void respond(Exchange exchange, int status, Object body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body.toString());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static int parseInt(String value, int fallback) {
        try {
            return value == null ? fallback : Math.max(1, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
