package com.dce.etl.poll;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.config.ConfigurationException;
import com.dce.etl.config.DceServices;
import com.dce.etl.config.ProviderSwitch;
import com.dce.etl.config.Settings;
import com.dce.etl.db.SqlFailures;
import com.dce.etl.mapping.SourcePath;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.transform.TimestampTransform;
import com.dce.etl.pipeline.CallBatch;
import com.dce.etl.pipeline.SourceRecord;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A scheduled poll of one provider list endpoint ("stream"), declared as a bean in the provider's routes file and run
 * by its Quartz route. It asks for records changed since the watermark minus {@code dce.<provider>.lookback-minutes},
 * walks the pages, sends each page through the load route, and moves the watermark once the page is committed:
 * <ul>
 * <li>oldest-first streams advance after every page, to the latest watermark field on it;</li>
 * <li>newest-first streams (Retreaver's updated_at) stop once a page reaches back past the window, and advance only
 * when the walk is complete, because an interrupted walk has not yet seen the older changes.</li>
 * </ul>
 * A failed run leaves the watermark where the last committed page put it; the next run reads again from there.
 */
public final class CallPoller implements CamelContextAware, ProviderSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(CallPoller.class);
    private static final int PAGE_LOAD_ATTEMPTS = 5;
    /** RFC 3339 in UTC with whole seconds, e.g. 2026-11-20T14:00:00Z. */
    private static final String ISO_SECONDS = "yyyy-MM-dd'T'HH:mm:ssXXX";

    private CamelContext camelContext;
    private String provider;
    private String stream = "calls";
    private String path;
    private String query = "";
    private String pagination = "cursor";
    private String sinceParam;
    private String sinceFormat = "iso";
    private String recordsField;
    private String watermarkField;
    private String order = "oldest-first";
    private String basicUserSetting;
    private String basicPasswordSetting;
    private String tokenHeaderSetting;
    private String queryCredentials;
    private String loadRoute = "direct:load-calls";

    private final AtomicBoolean running = new AtomicBoolean();
    private volatile String lastFailure;
    private volatile boolean credentialsRefused;

    /** One poll run; called by the provider's Quartz route. */
    public void poll() throws Exception {
        List<String> missing = missingSettings();
        if (!missing.isEmpty()) {
            LOG.debug("{} {} poll skipped: {} not set", provider, stream, missing);
            return;
        }
        if (!running.compareAndSet(false, true)) {
            LOG.info("{} {} poll still running; this trigger is skipped", provider, stream);
            return;
        }
        DceServices services = DceServices.of(camelContext);
        try {
            int rows = walk(services);
            services.watermarks().succeeded(provider, stream);
            services.metrics().poll(provider, stream, "success");
            lastFailure = null;
            credentialsRefused = false;
            LOG.info("{} {} poll loaded {} rows", provider, stream, rows);
        } catch (PollFailure e) {
            credentialsRefused = e instanceof ProviderRefusedCredentials;
            fail(services, e, credentialsRefused ? "refused" : "failure");
        } catch (SQLException | RuntimeException e) {
            fail(services, e, "failure");
            throw e;
        } finally {
            running.set(false);
        }
    }

    private int walk(DceServices services) throws PollFailure, SQLException, InterruptedException {
        Settings settings = services.settings();
        OffsetDateTime watermark = services.watermarks().get(provider, stream)
                .map(PollState::watermark)
                .orElseGet(() -> initialWatermark(settings));
        OffsetDateTime since = watermark.minusMinutes(settings.getLong("dce." + provider + ".lookback-minutes", 60));
        boolean newestFirst = "newest-first".equals(order);
        Pagination pages = Pagination.named(pagination);
        Map<String, String> headers = authHeaders(settings);
        URI next = pages.first(firstQuery(settings, since));
        int rows = 0;
        int pageNumber = 0;
        OffsetDateTime latestSeen = null;
        while (next != null) {
            Page page = services.fetcher().fetch(next, headers);
            pageNumber++;
            List<JsonNode> records = records(page);
            CallBatch loaded = load(services, records);
            rows += loaded.loaded();
            OffsetDateTime pageLatest = latest(records);
            latestSeen = later(latestSeen, pageLatest);
            if (!newestFirst) {
                services.watermarks().advance(provider, stream, pageLatest, loaded.loaded());
            }
            LOG.debug("{} {} page {}: {} records, {} loaded", provider, stream, pageNumber, records.size(),
                    loaded.loaded());
            boolean reachedWindowStart = newestFirst && reachesBack(records, since);
            next = reachedWindowStart ? null : pages.next(page, records.size()).orElse(null);
        }
        if (newestFirst) {
            services.watermarks().advance(provider, stream, latestSeen, rows);
        }
        return rows;
    }

    /** Sends a page through the load route; a passing database fault is retried with backoff, as the whole page. */
    private CallBatch load(DceServices services, List<JsonNode> records) throws PollFailure, InterruptedException {
        ProducerTemplate producer = services.producer();
        for (int attempt = 1;; attempt++) {
            CallBatch batch = new CallBatch(provider, "poll", provider + "-" + stream + "-poll",
                    records.stream().map(SourceRecord::ofJson).toList());
            try {
                return producer.requestBody(loadRoute, batch, CallBatch.class);
            } catch (CamelExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (!SqlFailures.isTransient(cause) || attempt == PAGE_LOAD_ATTEMPTS) {
                    throw new PollFailure("loading a page failed: " + cause.getMessage(), cause);
                }
                Duration wait = services.backoff().delay(attempt);
                LOG.warn("{} {} page load failed ({}), retrying in {} ms", provider, stream, cause.getMessage(),
                        wait.toMillis());
                Thread.sleep(wait.toMillis());
            }
        }
    }

    private List<JsonNode> records(Page page) throws PollFailure {
        JsonNode list = recordsField == null || recordsField.isBlank() ? page.body() : page.body().get(recordsField);
        if (list == null || !list.isArray()) {
            throw new PollFailure("page of " + HttpPageFetcher.withoutQuery(page.uri()) + " has no "
                    + (recordsField == null ? "array" : "'" + recordsField + "' array"));
        }
        List<JsonNode> records = new ArrayList<>(list.size());
        list.forEach(records::add);
        return records;
    }

    private OffsetDateTime latest(List<JsonNode> records) {
        OffsetDateTime latest = null;
        for (JsonNode record : records) {
            latest = later(latest, watermarkOf(record));
        }
        return latest;
    }

    private boolean reachesBack(List<JsonNode> records, OffsetDateTime since) {
        return records.stream().map(this::watermarkOf).anyMatch(time -> time != null && time.isBefore(since));
    }

    private OffsetDateTime watermarkOf(JsonNode record) {
        JsonNode value = SourcePath.parse(watermarkField).presentValue(record);
        if (value == null) {
            return null;
        }
        try {
            return (OffsetDateTime) new TimestampTransform(ZoneOffset.UTC).apply(value);
        } catch (ValueRejected e) {
            return null;
        }
    }

    private static OffsetDateTime later(OffsetDateTime a, OffsetDateTime b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private OffsetDateTime initialWatermark(Settings settings) {
        return settings.find("dce." + provider + ".backfill-from")
                .map(OffsetDateTime::parse)
                .orElseGet(() -> OffsetDateTime.now(ZoneOffset.UTC));
    }

    private URI firstQuery(Settings settings, OffsetDateTime since) {
        String base = settings.require(baseUrlSetting());
        URI uri = URI.create(stripTrailingSlash(base) + path + (query.isBlank() ? "" : "?" + query));
        for (Map.Entry<String, String> credential : queryCredentialSettings().entrySet()) {
            uri = QueryStrings.with(uri, credential.getKey(), settings.require(credential.getValue()));
        }
        if (sinceParam != null && !sinceParam.isBlank()) {
            uri = QueryStrings.with(uri, sinceParam, formatSince(since));
        }
        return uri;
    }

    private String formatSince(OffsetDateTime since) {
        String pattern = "iso".equals(sinceFormat) ? ISO_SECONDS : sinceFormat;
        return DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC).format(since);
    }

    private Map<String, String> authHeaders(Settings settings) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (basicUserSetting != null) {
            String pair = settings.require(basicUserSetting) + ":" + settings.require(basicPasswordSetting);
            headers.put("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        if (tokenHeaderSetting != null) {
            headers.put("Authorization", "Token token=\"" + settings.require(tokenHeaderSetting) + "\"");
        }
        return headers;
    }

    private Map<String, String> queryCredentialSettings() {
        Map<String, String> credentials = new LinkedHashMap<>();
        if (queryCredentials != null) {
            for (String pair : queryCredentials.split(",")) {
                String[] parts = pair.trim().split("=", 2);
                if (parts.length == 2) {
                    credentials.put(parts[0].trim(), parts[1].trim());
                }
            }
        }
        return credentials;
    }

    private void fail(DceServices services, Exception e, String outcome) {
        lastFailure = e.getMessage();
        services.metrics().poll(provider, stream, outcome);
        LOG.error("{} {} poll failed; the watermark stays at the last committed page: {}", provider, stream,
                e.getMessage());
        try {
            services.watermarks().failed(provider, stream, e.getMessage());
        } catch (SQLException stateNotSaved) {
            LOG.warn("Could not record the failure in dce_poll_state: {}", stateNotSaved.getMessage());
        }
    }

    private String baseUrlSetting() {
        return "dce." + provider + ".base-url";
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public String describe() {
        return provider + " " + stream + " poller";
    }

    @Override
    public List<String> missingSettings() {
        Settings settings = DceServices.of(camelContext).settings();
        List<String> required = new ArrayList<>();
        required.add(baseUrlSetting());
        Optional.ofNullable(basicUserSetting).ifPresent(required::add);
        Optional.ofNullable(basicPasswordSetting).ifPresent(required::add);
        Optional.ofNullable(tokenHeaderSetting).ifPresent(required::add);
        required.addAll(queryCredentialSettings().values());
        return required.stream().filter(key -> settings.find(key).isEmpty()).toList();
    }

    @Override
    public void validate() {
        if (provider == null) {
            throw new ConfigurationException("a CallPoller bean needs provider");
        }
        Pagination.named(pagination);
        if (!"oldest-first".equals(order) && !"newest-first".equals(order)) {
            throw new ConfigurationException(describe() + ": order must be oldest-first or newest-first");
        }
        if (watermarkField == null || path == null) {
            throw new ConfigurationException(describe() + ": path and watermarkField are required");
        }
        if (!"iso".equals(sinceFormat)) {
            try {
                DateTimeFormatter.ofPattern(sinceFormat);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(describe() + ": sinceFormat: " + e.getMessage());
            }
        }
    }

    /** Why the last run failed, or null after a success. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Whether the last run ended because the provider refused the credentials. */
    public boolean credentialsRefused() {
        return credentialsRefused;
    }

    public String stream() {
        return stream;
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

    public void setStream(String stream) {
        this.stream = stream;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public void setQuery(String query) {
        this.query = query;
    }

    public void setPagination(String pagination) {
        this.pagination = pagination;
    }

    public void setSinceParam(String sinceParam) {
        this.sinceParam = sinceParam;
    }

    public void setSinceFormat(String sinceFormat) {
        this.sinceFormat = sinceFormat;
    }

    public void setRecordsField(String recordsField) {
        this.recordsField = recordsField;
    }

    public void setWatermarkField(String watermarkField) {
        this.watermarkField = watermarkField;
    }

    public void setOrder(String order) {
        this.order = order;
    }

    public void setBasicUserSetting(String basicUserSetting) {
        this.basicUserSetting = basicUserSetting;
    }

    public void setBasicPasswordSetting(String basicPasswordSetting) {
        this.basicPasswordSetting = basicPasswordSetting;
    }

    public void setTokenHeaderSetting(String tokenHeaderSetting) {
        this.tokenHeaderSetting = tokenHeaderSetting;
    }

    public void setQueryCredentials(String queryCredentials) {
        this.queryCredentials = queryCredentials;
    }

    public void setLoadRoute(String loadRoute) {
        this.loadRoute = loadRoute;
    }
}
