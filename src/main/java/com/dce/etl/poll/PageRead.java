package com.dce.etl.poll;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.dce.etl.http.Page;
import com.dce.etl.http.ProviderRequest;
import com.dce.etl.mapping.transform.TimestampTransform;
import com.dce.etl.pipeline.CallBatch;
import com.dce.etl.pipeline.SourceRecord;
import com.dce.etl.sink.PageCheckpoint;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One walk over a stream's pages for a time window: a live poll (since the watermark), a backfill, a settle re-read.
 * The read-pages route takes one page at a time from it and loads it; meanwhile the next page is already fetched and
 * mapped, so provider latency, mapping and database work overlap. Its {@link Purpose} says what a page commits with
 * it (a watermark, a backfill position) and what the end of the walk records.
 */
public final class PageRead {

    /** What a read is for; decides its channel, its checkpoints and what its end records. */
    public interface Purpose {
        /** {@code poll}, {@code backfill} or {@code settle}: the channel its rows are written with. */
        String channel();

        /** What the page commits with its rows; null for nothing. */
        PageCheckpoint afterPage(PageRead read, PageSummary page);

        void finished(PageRead read) throws Exception;

        void failed(PageRead read, Exception failure);

        /** Whether the read should stop before its next page (a cancelled backfill); what is committed stays. */
        default boolean stopped() {
            return false;
        }
    }

    /**
     * A page as the read saw it: the latest watermark time on it, the request that comes next (null after the last),
     * the answer's total where the provider tells one, its records, and those its mapping rejected.
     */
    public record PageSummary(OffsetDateTime latest, ProviderRequest next, Long total, int records, int rejected) {
    }

    private final PollStream stream;
    private final Purpose purpose;
    private final OffsetDateTime from;
    private final OffsetDateTime to;
    private final TimestampTransform times;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong pages = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private volatile Long total;
    private volatile OffsetDateTime latestSeen;
    /** The page being fetched and mapped ahead, with the request that follows it; null after the last page. */
    private Future<Fetched> pending;

    /**
     * A page fetched and mapped, the request for the page after it (null after the last) and that page's answer, asked
     * for as soon as the request was known: the provider works on it while this page is mapped.
     */
    private record Fetched(CallBatch batch, ProviderRequest next, Future<Page> nextAnswer) {
    }

    PageRead(PollStream stream, Purpose purpose, OffsetDateTime from, OffsetDateTime to, TimestampTransform times,
            ProviderRequest first) {
        this.stream = stream;
        this.purpose = purpose;
        this.from = from;
        this.to = to;
        this.times = times;
        this.pending = stream.prefetch(() -> fetchAndMap(first, null));
    }

    /** Whether a page is on its way. Called by the read-pages route's thread only, as are {@link #next} and failed. */
    public boolean hasNext() {
        if (pending != null && purpose.stopped()) {
            cancelPending();
        }
        return pending != null;
    }

    /**
     * The next page's batch, fetched and mapped ahead; the page after it is mapped from now on (its answer was asked
     * for while this one was mapped), while this one is stored. So a read that stops asks for at most one page it
     * does not store.
     */
    public CallBatch next() throws Exception {
        Fetched fetched;
        try {
            fetched = pending.get();
        } catch (ExecutionException e) {
            pending = null;
            throw thrown(e);
        }
        pending = fetched.next() == null ? null
                : stream.prefetch(() -> fetchAndMap(fetched.next(), fetched.nextAnswer()));
        return fetched.batch();
    }

    /** The page's calls are stored: counts them. */
    public void committed(CallBatch batch) {
        pages.incrementAndGet();
        rows.addAndGet(batch.loaded());
    }

    /** {@code answer}: the page's answer when it was asked for ahead, else null (it is asked for now). */
    private Fetched fetchAndMap(ProviderRequest request, Future<Page> answer) throws Exception {
        Page page = answer == null ? stream.fetch(request) : answered(answer);
        List<JsonNode> records = stream.records(page);
        OffsetDateTime latest = null;
        boolean reachedStart = false;
        for (JsonNode record : records) {
            OffsetDateTime time = watermarkOf(record);
            if (time != null) {
                latest = latest == null || time.isAfter(latest) ? time : latest;
                reachedStart |= time.isBefore(from);
            }
        }
        latestSeen = later(latestSeen, latest);
        Long pageTotal = stream.total(page);
        total = pageTotal != null ? pageTotal : total;
        // a newest-first stream reads back until a page passes the window's start; the pages after it are older
        boolean last = stream.newestFirst() && reachedStart;
        ProviderRequest next = last ? null : stream.pages().next(page, records).orElse(null);
        // the provider prepares its next answer while this page is mapped (about 8 ms of a thread per 1,000 records);
        // a read that stops cancels it in hasNext (asking stopped() here would cost a backfill a query per page)
        Future<Page> nextAnswer = next == null ? null : stream.prefetch(() -> stream.fetch(next));
        try {
            CallBatch batch = stream.map(new CallBatch(stream.provider(), purpose.channel(), stream.id(),
                    sourceRecords(page, records)));
            batch.checkpoint(purpose.afterPage(this, new PageSummary(latest, next, pageTotal, records.size(),
                    batch.rejected().size())));
            return new Fetched(batch, next, nextAnswer);
        } catch (RuntimeException | Error e) {
            cancel(nextAnswer);
            throw e;
        }
    }

    /** The page's records with their text as the provider sent it, the source payload of each. */
    private static List<SourceRecord> sourceRecords(Page page, List<JsonNode> records) {
        List<String> texts = page.recordTexts();
        if (texts.size() != records.size()) {
            throw new IllegalStateException(records.size() + " records but " + texts.size() + " texts in the answer of "
                    + page.request().where());
        }
        List<SourceRecord> sourced = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            sourced.add(new SourceRecord(texts.get(i), records.get(i), page.fetchedAt()));
        }
        return sourced;
    }

    private static Page answered(Future<Page> answer) throws Exception {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw thrown(e);
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        }
    }

    /** What a page task threw: its exception itself (a provider failure, say), or the wrapper around an error. */
    private static Exception thrown(ExecutionException e) {
        return e.getCause() instanceof Exception cause ? cause : e;
    }

    /** Stops the page on its way and, when it already arrived, the answer asked for after it. */
    private void cancelPending() {
        Future<Fetched> stopped = pending;
        pending = null;
        // cancel is refused only when the task is done already: then its answer may be on the way
        if (!stopped.cancel(true)) {
            try {
                cancel(stopped.get().nextAnswer());
            } catch (ExecutionException | CancellationException e) {
                // it failed or was stopped: nothing was asked for after it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void cancel(Future<?> future) {
        if (future != null) {
            future.cancel(true);
        }
    }

    private OffsetDateTime watermarkOf(JsonNode record) {
        return stream.watermarkTime(record, times).orElse(null);
    }

    /** The walk is over: its purpose records the outcome. */
    public void finish() throws Exception {
        purpose.finished(this);
    }

    public void failed(Exception failure) {
        if (pending != null) {
            cancelPending();
        }
        purpose.failed(this, failure);
    }

    private static OffsetDateTime later(OffsetDateTime a, OffsetDateTime b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    public PollStream stream() {
        return stream;
    }

    public OffsetDateTime from() {
        return from;
    }

    public OffsetDateTime to() {
        return to;
    }

    public long pages() {
        return pages.get();
    }

    public long rows() {
        return rows.get();
    }

    /** The provider's count of records in the window, where its answers tell one; null otherwise. */
    public Long total() {
        return total;
    }

    /** The latest watermark time seen on any page so far. */
    public OffsetDateTime latestSeen() {
        return latestSeen;
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** When the read started, for records. */
    public OffsetDateTime startedAt() {
        return OffsetDateTime.now(ZoneOffset.UTC).minus(elapsed());
    }
}
