package com.dce.etl.poll;

import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.config.ConfigurationException;
import com.dce.etl.config.DceServices;
import com.dce.etl.config.Settings;
import com.dce.etl.db.SqlFailures;
import com.dce.etl.mapping.SourcePath;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.transform.TimestampTransform;
import com.dce.etl.pipeline.CallBatch;
import com.dce.etl.pipeline.SourceRecord;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A scheduled poll of one provider calls endpoint ("stream"). It asks for records changed since the watermark minus
 * {@code dce.<provider>.lookback-minutes}, walks the pages, sends each page through the map route and then the store
 * route (the next page is fetched and mapped while the current one is stored), and moves the watermark once the
 * page is committed:
 * <ul>
 * <li>oldest-first streams advance after every page, to the latest watermark field on it;</li>
 * <li>newest-first streams (Retreaver's updated_at) stop once a page reaches back past the window, and advance only
 * when the walk is complete, because an interrupted walk has not yet seen the older changes.</li>
 * </ul>
 * A failed run leaves the watermark where the last committed page put it; the next run reads again from there.
 */
public final class CallPoller extends ProviderApiJob {
    private static final Logger LOG = LoggerFactory.getLogger(CallPoller.class);
    private static final int PAGE_LOAD_ATTEMPTS = 5;
    /** RFC 3339 in UTC with whole seconds, e.g. 2026-11-20T14:00:00Z. */
    private static final String ISO_SECONDS = "yyyy-MM-dd'T'HH:mm:ssXXX";

    private String sinceParam;
    private String sinceFormat = "iso";
    private String watermarkField;
    private String order = "oldest-first";
    private String mapRoute = "direct:map-calls";
    private String storeRoute = "direct:store-calls";

    public CallPoller() {
        setStream("calls");
    }

    /** One poll run; called by the provider's Quartz route. */
    public void poll() throws Exception {
        run();
    }

    @Override
    protected int work(DceServices services) throws PollFailure, SQLException, InterruptedException {
        Settings settings = services.settings();
        OffsetDateTime watermark = services.watermarks().get(provider(), stream())
                .map(PollState::watermark)
                .orElseGet(() -> initialWatermark(settings));
        OffsetDateTime since = watermark.minusMinutes(settings.getLong("dce." + provider() + ".lookback-minutes", 60));
        boolean newestFirst = "newest-first".equals(order);
        // times without an offset are the provider's local times, as its mapping file says
        TimestampTransform times = new TimestampTransform(services.mappings().forProvider(provider()).timezone());
        Pagination pages = pages();
        Map<String, String> headers = headers(settings);
        URI first = firstPage(settings, sinceParam == null ? Map.of() : Map.of(sinceParam, formatSince(since)));
        int rows = 0;
        OffsetDateTime latestSeen = null;
        // the next page is fetched and mapped while this one is stored: provider latency, mapping and database work
        // overlap
        ExecutorService prefetch = services.pagePrefetch();
        Future<MappedPage> pending = prefetch.submit(() -> fetchAndMap(services, first, headers));
        try {
            while (pending != null) {
                MappedPage page = await(pending);
                List<JsonNode> records = page.records();
                boolean reachedWindowStart = newestFirst && reachesBack(records, since, times);
                URI next = reachedWindowStart ? null : pages.next(page.page(), records.size()).orElse(null);
                pending = next == null ? null : prefetch.submit(() -> fetchAndMap(services, next, headers));
                OffsetDateTime pageLatest = latest(records, times);
                latestSeen = later(latestSeen, pageLatest);
                if (!newestFirst) {
                    // committed in the page's own transaction
                    page.batch().watermark(new WatermarkAdvance(provider(), stream(), pageLatest));
                }
                rows += store(services, page.batch());
            }
        } finally {
            if (pending != null) {
                pending.cancel(true);
            }
        }
        if (newestFirst) {
            services.watermarks().advance(provider(), stream(), latestSeen, rows);
        }
        return rows;
    }

    /** A fetched page, its records, and the batch of calls mapped from them. */
    private record MappedPage(Page page, List<JsonNode> records, CallBatch batch) {
    }

    private MappedPage fetchAndMap(DceServices services, URI uri, Map<String, String> headers)
            throws PollFailure, InterruptedException {
        Page page = fetch(services, uri, headers);
        OffsetDateTime fetchedAt = OffsetDateTime.now(ZoneOffset.UTC);
        List<JsonNode> records = records(page);
        CallBatch batch = new CallBatch(provider(), "poll", provider() + "-" + stream() + "-poll",
                records.stream().map(record -> SourceRecord.ofJson(record, fetchedAt)).toList());
        try {
            return new MappedPage(page, records, services.producer().requestBody(mapRoute, batch, CallBatch.class));
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new PollFailure("mapping a page failed: " + SqlFailures.describe(cause), cause);
        }
    }

    private static MappedPage await(Future<MappedPage> page) throws PollFailure, InterruptedException {
        try {
            return page.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PollFailure failure) {
                throw failure;
            }
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new PollFailure("fetching a page failed: " + e.getCause(), e.getCause());
        }
    }

    /** Stores a mapped page; a passing database fault is retried with backoff, as the whole page. */
    private int store(DceServices services, CallBatch batch) throws PollFailure, InterruptedException {
        ProducerTemplate producer = services.producer();
        for (int attempt = 1;; attempt++) {
            try {
                return producer.requestBody(storeRoute, batch, CallBatch.class).loaded();
            } catch (CamelExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (!SqlFailures.isTransient(cause) || attempt == PAGE_LOAD_ATTEMPTS) {
                    throw new PollFailure("loading a page failed: " + SqlFailures.describe(cause), cause);
                }
                Duration wait = services.backoff().delay(attempt);
                LOG.warn("{} page load failed ({}), retrying in {} ms", describe(), SqlFailures.describe(cause),
                        wait.toMillis());
                Thread.sleep(wait.toMillis());
            }
        }
    }

    private OffsetDateTime latest(List<JsonNode> records, TimestampTransform times) {
        OffsetDateTime latest = null;
        for (JsonNode record : records) {
            latest = later(latest, watermarkOf(record, times));
        }
        return latest;
    }

    private boolean reachesBack(List<JsonNode> records, OffsetDateTime since, TimestampTransform times) {
        return records.stream().map(record -> watermarkOf(record, times))
                .anyMatch(time -> time != null && time.isBefore(since));
    }

    private OffsetDateTime watermarkOf(JsonNode record, TimestampTransform times) {
        JsonNode value = SourcePath.parse(watermarkField).presentValue(record);
        if (value == null) {
            return null;
        }
        try {
            return (OffsetDateTime) times.apply(value);
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
        return settings.find("dce." + provider() + ".backfill-from")
                .map(OffsetDateTime::parse)
                .orElseGet(() -> OffsetDateTime.now(ZoneOffset.UTC));
    }

    private String formatSince(OffsetDateTime since) {
        String pattern = "iso".equals(sinceFormat) ? ISO_SECONDS : sinceFormat;
        return DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC).format(since);
    }

    @Override
    public void validate() {
        super.validate();
        if (!"oldest-first".equals(order) && !"newest-first".equals(order)) {
            throw new ConfigurationException(describe() + ": order must be oldest-first or newest-first");
        }
        if (watermarkField == null) {
            throw new ConfigurationException(describe() + ": watermarkField is required");
        }
        try {
            DateTimeFormatter.ofPattern("iso".equals(sinceFormat) ? ISO_SECONDS : sinceFormat);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(describe() + ": sinceFormat: " + e.getMessage());
        }
        String backfill = "dce." + provider() + ".backfill-from";
        services().settings().find(backfill).ifPresent(value -> {
            try {
                OffsetDateTime.parse(value);
            } catch (java.time.format.DateTimeParseException e) {
                throw new ConfigurationException(backfill + ": '" + value
                        + "' is not an ISO 8601 time with offset, e.g. 2026-01-01T00:00:00Z");
            }
        });
    }

    public void setSinceParam(String sinceParam) {
        this.sinceParam = sinceParam;
    }

    public void setSinceFormat(String sinceFormat) {
        this.sinceFormat = sinceFormat;
    }

    public void setWatermarkField(String watermarkField) {
        this.watermarkField = watermarkField;
    }

    public void setOrder(String order) {
        this.order = order;
    }

    public void setMapRoute(String mapRoute) {
        this.mapRoute = mapRoute;
    }

    public void setStoreRoute(String storeRoute) {
        this.storeRoute = storeRoute;
    }
}
