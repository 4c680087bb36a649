package com.dce.etl.poll;

import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.config.ConfigurationException;
import com.dce.etl.config.DeclarationError;
import com.dce.etl.db.SqlFailures;
import com.dce.etl.http.Page;
import com.dce.etl.http.ProviderApiFailure;
import com.dce.etl.http.ProviderRequest;
import com.dce.etl.mapping.MappingCatalog;
import com.dce.etl.mapping.SourcePath;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.transform.TimestampTransform;
import com.dce.etl.pipeline.CallBatch;
import com.dce.etl.sink.PageCheckpoint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A poll stream, declared with the {@code poll-stream} route template: one list endpoint of a provider's calls API
 * (see {@link ApiChannel}), read by time window ({@code window}, a {@link RequestWindow} style) and kept up to date
 * by its watermark, the latest {@code watermark} field committed:
 * <ul>
 * <li>oldest-first streams move the watermark with every page, in the page's own transaction;</li>
 * <li>newest-first streams (Retreaver's updated_at) stop once a page reaches back past the window, and move it only
 * when the walk is complete, because an interrupted walk has not yet seen the older changes.</li>
 * </ul>
 * A live read asks for the records since watermark - {@code dce.<provider>.lookback-minutes}; the first one, of an
 * empty stream, since {@code dce.<provider>.backfill-from} (default: now). A failed read leaves the watermark where its
 * last committed page put it; the next read goes on from there.
 */
public final class PollStream extends ApiChannel {
    private static final Logger LOG = LoggerFactory.getLogger(PollStream.class);

    private String stream;
    private String window;
    private String watermark;
    private String order = "oldest-first";
    private String total;
    private String countQuery = "";
    private String retentionDays = "";

    private MappingCatalog mappings;
    private ExecutorService prefetch;
    private ProducerTemplate producer;

    private RequestWindow requestWindow;
    private SourcePath totalPath;
    private SourcePath watermarkPath;

    @Override
    protected void checkDeclaration() {
        require("stream", stream);
        require("window", window);
        require("watermark", watermark);
        if (!order.equals("oldest-first") && !order.equals("newest-first")) {
            throw new DeclarationError("order", "must be oldest-first or newest-first, not '" + order + "'");
        }
        requestWindow = RequestWindow.STYLES.create("window", window);
        if (!requestWindow.bounded() && !newestFirst()) {
            throw new DeclarationError("window", "none needs order newest-first, or the read would never stop");
        }
        totalPath = total == null || total.isBlank() ? null : SourcePath.parse(total);
        watermarkPath = SourcePath.parse(watermark);
        if (!countQuery.isBlank() && totalPath == null) {
            throw new DeclarationError("count-query", "needs total: the count is read from the answer's total");
        }
        if (!retentionDays.isBlank() && !retentionDays.matches("[1-9][0-9]{0,5}")) {
            throw new DeclarationError("retention-days", "must be a whole number of days, not '" + retentionDays + "'");
        }
        String backfill = "dce." + provider() + ".backfill-from";
        settings.find(backfill).ifPresent(value -> {
            try {
                OffsetDateTime.parse(value);
            } catch (DateTimeParseException e) {
                throw new ConfigurationException(backfill + ": '" + value
                        + "' is not an ISO 8601 time with offset, e.g. 2026-01-01T00:00:00Z");
            }
        });
    }

    /**
     * The poll route's first step: the body becomes the live read since the watermark (less the lookback). The route
     * stops here when the stream is off or its last live read is still running.
     */
    @Override
    public void begin(Exchange exchange) throws SQLException {
        if (!runs().tryStart()) {
            exchange.setRouteStop(true);
            return;
        }
        try {
            OffsetDateTime mark = watermarks.get(provider(), stream).map(PollState::watermark)
                    .orElseGet(this::initialWatermark);
            OffsetDateTime since = mark.minusMinutes(settings.getLong("dce." + provider() + ".lookback-minutes", 60));
            exchange.getMessage().setBody(read(new Live(), since, null));
        } catch (SQLException | RuntimeException e) {
            runs().failed(e);
            throw e;
        }
    }

    /** A read of the window {@code from}..{@code to} (null: until now) for {@code purpose}. */
    public PageRead read(PageRead.Purpose purpose, OffsetDateTime from, OffsetDateTime to) {
        ProviderRequest first = pages().first(requestWindow.apply(baseRequest(), from, to));
        return new PageRead(this, purpose, from, to, times(), first);
    }

    /** A read continuing at {@code position} (from {@link Pagination#position}) of a read of the same window. */
    public PageRead resume(PageRead.Purpose purpose, OffsetDateTime from, OffsetDateTime to, String position) {
        ProviderRequest first = pages().first(requestWindow.apply(baseRequest(), from, to));
        return new PageRead(this, purpose, from, to, times(), pages().resume(first, position));
    }

    private OffsetDateTime initialWatermark() {
        return settings.find("dce." + provider() + ".backfill-from").map(OffsetDateTime::parse)
                .orElseGet(() -> OffsetDateTime.now(ZoneOffset.UTC));
    }

    <T> Future<T> prefetch(Callable<T> task) {
        return prefetch.submit(task);
    }

    /** Maps a page's records through the provider's mapping file, ahead of storing it. */
    CallBatch map(CallBatch batch) throws ProviderApiFailure {
        try {
            return producer.requestBody("direct:map-calls", batch, CallBatch.class);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ProviderApiFailure("mapping a page failed: " + SqlFailures.describe(cause), cause);
        }
    }

    /**
     * The provider's own count of records in {@code from}..{@code to}: one request (from the stream's budget) with
     * the stream's {@code count-query} (e.g. {@code per_page=1}), its answer's total. Empty where the stream cannot
     * tell (no total, or no window end the provider takes).
     */
    public Optional<Long> count(OffsetDateTime from, OffsetDateTime to) throws ProviderApiFailure,
            InterruptedException {
        if (!countable()) {
            return Optional.empty();
        }
        ProviderRequest request = pages().first(requestWindow.apply(baseRequest(), from, to));
        // where the stream's own parameters go: the JSON body of a POST (Ringba's size), else the query string
        boolean inBody = request.body() != null;
        for (String pair : countQuery.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                String name = pair.substring(0, equals);
                String value = pair.substring(equals + 1);
                request = inBody ? request.with(ProviderRequest.Place.BODY, name, value.matches("[0-9]{1,9}")
                        ? IntNode.valueOf(Integer.parseInt(value)) : TextNode.valueOf(value))
                        : request.with(ProviderRequest.Place.QUERY, name, value);
            }
        }
        return Optional.ofNullable(total(fetch(request)));
    }

    /** Whether {@link #count} can ask the provider. */
    private boolean countable() {
        return totalPath != null && requestWindow.closed();
    }

    /** Whether a past window can be read (a backfill, a settle re-read): the provider takes the window's end. */
    public boolean windowed() {
        return requestWindow.closed() && !newestFirst();
    }

    /** How far back the provider keeps records, where the declaration says ({@code retention-days}). */
    public Optional<Duration> retention() {
        return retentionDays.isBlank() ? Optional.empty() : Optional.of(Duration.ofDays(Long.parseLong(retentionDays)));
    }

    public String stream() {
        return stream;
    }

    /** Reads times as the provider's mapping file does now (its time zone for times without an offset). */
    public TimestampTransform times() {
        return new TimestampTransform(mappings.forProvider(provider()).timezone());
    }

    /** The time in the record's watermark field; empty when the field is absent or is not a time. */
    Optional<OffsetDateTime> watermarkTime(JsonNode record, TimestampTransform times) {
        JsonNode value = watermarkPath.presentValue(record);
        try {
            return value == null ? Optional.empty() : Optional.of((OffsetDateTime) times.apply(value));
        } catch (ValueRejected notATime) {
            return Optional.empty();
        }
    }

    /**
     * The record's time in the stream's watermark field: where a dead letter's payload belongs among the days. The
     * record may be wrapped in an envelope object ({@code call}, {@code data}).
     */
    public Optional<OffsetDateTime> timeOf(JsonNode record, TimestampTransform times) {
        if (watermarkPath.presentValue(record) != null) {
            return watermarkTime(record, times);
        }
        for (JsonNode inner : record) {
            if (inner.isObject() && watermarkPath.presentValue(inner) != null) {
                return watermarkTime(inner, times);
            }
        }
        return Optional.empty();
    }

    /** The provider's count of records in the window, where its answers tell one. */
    Long total(Page page) {
        JsonNode count = totalPath == null ? null : totalPath.presentValue(page.body());
        return count != null && count.canConvertToLong() ? count.asLong() : null;
    }

    boolean newestFirst() {
        return order.equals("newest-first");
    }

    /** A live poll: moves the watermark and records its outcome in {@code dce_poll_state}, metrics and health. */
    private final class Live implements PageRead.Purpose {
        @Override
        public String channel() {
            return "poll";
        }

        @Override
        public PageCheckpoint afterPage(PageRead read, PageRead.PageSummary page) {
            return newestFirst() ? null : new WatermarkAdvance(watermarks, provider(), stream, page.latest());
        }

        @Override
        public void finished(PageRead read) throws SQLException {
            if (newestFirst()) {
                try {
                    watermarks.advance(provider(), stream, read.latestSeen(), (int) read.rows());
                } catch (SQLException e) {
                    runs().failed(e);
                    throw e;
                }
            }
            runs().succeeded(read.rows());
        }

        @Override
        public void failed(PageRead read, Exception failure) {
            runs().failed(failure);
        }
    }

    @Override
    public String describe() {
        return provider() + " " + stream + " poller";
    }

    @Override
    public String runRoute() {
        return "direct:read-pages";
    }

    @Override
    public String kind() {
        return "poll";
    }

    @Override
    public String name() {
        return stream;
    }

    public void setStream(String stream) {
        this.stream = stream;
    }

    public void setWindow(String window) {
        this.window = window;
    }

    public void setWatermark(String watermark) {
        this.watermark = watermark;
    }

    public void setOrder(String order) {
        this.order = order;
    }

    public void setTotal(String total) {
        this.total = total;
    }

    public void setCountQuery(String countQuery) {
        this.countQuery = countQuery == null ? "" : countQuery.trim();
    }

    public void setRetentionDays(String retentionDays) {
        this.retentionDays = retentionDays == null ? "" : retentionDays.trim();
    }

    public void setMappings(MappingCatalog mappings) {
        this.mappings = mappings;
    }

    public void setPrefetch(ExecutorService prefetch) {
        this.prefetch = prefetch;
    }

    public void setProducer(ProducerTemplate producer) {
        this.producer = producer;
    }
}
