package com.dce.etl.inbox;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.db.SqlFailures;
import com.dce.etl.deadletter.DeadLetter;
import com.dce.etl.mapping.ReasonCode;
import com.dce.etl.observe.ThrottledWarning;
import com.dce.etl.pipeline.CallBatch;
import com.dce.etl.pipeline.SourceRecord;

/**
 * The inbox route's steps: take a batch of stored webhooks (handed over by the writer, or claimed) and turn it into
 * call batches for the load route (one per provider and route; the store step deletes the entries with their calls),
 * or put a batch back for a later attempt when loading it failed. Under load a batch holds many entries, so one
 * transaction stores many webhooks.
 */
public final class InboxSteps {
    /** Exchange property: the claim was full or entries wait in the handoff: more are probably waiting. */
    public static final String MORE = "dceInboxMore";
    private static final Logger LOG = LoggerFactory.getLogger(InboxSteps.class);
    private static final ThrottledWarning CLAIM_FAILED = new ThrottledWarning(LOG, 10_000);
    /**
     * How long a wake-up waits for a full batch of handed-over entries. Every webhook wakes a worker; taking what
     * was there at once made batches of a few entries, and each batch is a commit.
     */
    private static final Duration LINGER = Duration.ofMillis(5);

    private final InboxStore inbox;
    private final InboxHandoff handoff;
    private final int maxAttempts;
    private final int batchSize;
    private final long lookIntervalNanos;
    private final AtomicLong lastLook;
    private volatile boolean moreInTable;

    /** {@code lookInterval}: how often wake-ups look in the table when nothing says entries wait there. */
    public InboxSteps(InboxStore inbox, InboxHandoff handoff, int maxAttempts, int batchSize, Duration lookInterval) {
        this.inbox = inbox;
        this.handoff = handoff;
        this.maxAttempts = maxAttempts;
        this.batchSize = batchSize;
        this.lookIntervalNanos = lookInterval.toNanos();
        // the first wake-up looks: entries may be left from before a restart
        this.lastLook = new AtomicLong(System.nanoTime() - lookIntervalNanos);
    }

    /**
     * Takes the entries handed over by this instance's writer and claims due ones from the table; the body becomes
     * their {@link CallBatch}es. Stops the route when there are none (or the database is away: the sweep comes back),
     * and dead-letters an entry started {@code max-attempts} times without finishing.
     */
    public void claim(Exchange exchange) throws SQLException, InterruptedException {
        List<InboxEntry> handed = handoff.take(batchSize, LINGER);
        InboxStore.Claim claim = new InboxStore.Claim(List.of(), false);
        if (lookInTable()) {
            try {
                claim = inbox.claim(batchSize);
                moreInTable = claim.moreDue();
            } catch (SQLException e) {
                CLAIM_FAILED.warn("Stored webhooks not claimed now, the sweep tries again: "
                        + SqlFailures.describe(e));
                if (handed.isEmpty()) {
                    exchange.setRouteStop(true);
                    return;
                }
            }
        }
        Map<String, List<InboxEntry>> fresh = new LinkedHashMap<>();
        List<CallBatch> batches = new ArrayList<>();
        List<InboxEntry> entries = new ArrayList<>(handed);
        entries.addAll(claim.entries());
        for (InboxEntry entry : entries) {
            if (entry.attempts() == 1) {
                fresh.computeIfAbsent(entry.provider() + "\n" + entry.routeId(), key -> new ArrayList<>()).add(entry);
            } else if (entry.attempts() > maxAttempts) {
                giveUp(entry);
            } else {
                batches.add(batch(List.of(entry)));
            }
        }
        fresh.values().forEach(group -> batches.add(0, batch(group)));
        boolean more = moreInTable || !handoff.isEmpty();
        if (batches.isEmpty() && !more) {
            exchange.setRouteStop(true);
            return;
        }
        exchange.setProperty(MORE, more);
        exchange.getMessage().setBody(batches);
    }

    /**
     * Whether this wake-up also looks for due entries in the table: when the writer stored some there (the handoff
     * was full), when the last look left due entries behind, and otherwise at most once per {@code lookInterval}
     * (so at each sweep), for retries and the entries of an instance that died. Every webhook wakes a worker, and
     * a look on each wake-up was a round trip each time: on PostgreSQL half of 3,000-4,300 wake-ups per 5 s found
     * nothing at all (40 s of webhooks, counted in an instrumented copy).
     */
    private boolean lookInTable() {
        long now = System.nanoTime();
        if (handoff.takeStoredForClaim() || moreInTable) {
            lastLook.set(now);
            return true;
        }
        long last = lastLook.get();
        return now - last >= lookIntervalNanos && lastLook.compareAndSet(last, now);
    }

    private static CallBatch batch(List<InboxEntry> entries) {
        InboxEntry first = entries.get(0);
        CallBatch batch = new CallBatch(first.provider(), first.channel(), first.routeId(),
                entries.stream().map(entry -> SourceRecord.ofText(entry.payload(), entry.receivedAt())).toList());
        batch.inboxEntries(entries.stream().map(InboxEntry::id).toList(), first.attempts());
        return batch;
    }

    private void giveUp(InboxEntry entry) throws SQLException {
        LOG.error("Inbox entry {} ({}) was started {} times without finishing; moving it to the dead letters",
                entry.id(), entry.provider(), entry.attempts() - 1);
        inbox.moveToDeadLetters(entry, new DeadLetter(entry.provider(), entry.channel(), entry.routeId(),
                ReasonCode.MAX_ATTEMPTS, "not loaded after " + (entry.attempts() - 1) + " attempts", entry.payload()));
    }

    /** After a failed load of a batch (the body): logs the cause and schedules its entries again with backoff. */
    public void retryLater(Exchange exchange) {
        CallBatch batch = exchange.getMessage().getBody(CallBatch.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause == null ? "unknown failure" : SqlFailures.describe(cause);
        LOG.warn("Loading {} stored {} webhooks failed (attempt {}); will retry: {}", batch.inboxEntries().size(),
                batch.provider(), batch.inboxAttempt(), reason);
        try {
            inbox.retryLater(batch.inboxEntries(), batch.inboxAttempt(), reason);
        } catch (SQLException e) {
            // the database is unreachable: the leases run out and the entries are claimed again
            LOG.warn("Could not reschedule the inbox entries: {}", SqlFailures.describe(e));
        }
    }
}
