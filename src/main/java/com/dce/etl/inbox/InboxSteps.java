package com.dce.etl.inbox;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * The inbox route's steps: claim a batch of stored webhooks and turn it into call batches for the load route (one
 * per provider and route; the store step deletes the entries with their calls), or put a batch back for a later
 * attempt when loading it failed. Under load a claim takes many entries, so one transaction stores many webhooks.
 */
public final class InboxSteps {
    /** Exchange property: the claim was full, more entries are probably waiting. */
    public static final String MORE = "dceInboxMore";
    private static final Logger LOG = LoggerFactory.getLogger(InboxSteps.class);
    private static final ThrottledWarning CLAIM_FAILED = new ThrottledWarning(LOG, 10_000);

    private final InboxStore inbox;
    private final int maxAttempts;
    private final int batchSize;

    public InboxSteps(InboxStore inbox, int maxAttempts, int batchSize) {
        this.inbox = inbox;
        this.maxAttempts = maxAttempts;
        this.batchSize = batchSize;
    }

    /**
     * Claims due entries; the body becomes their {@link CallBatch}es. Stops the route when there are none (or the
     * database is away: the sweep comes back), and dead-letters an entry started {@code max-attempts} times without
     * finishing.
     */
    public void claim(Exchange exchange) throws SQLException {
        InboxStore.Claim claim;
        try {
            claim = inbox.claim(batchSize);
        } catch (SQLException e) {
            CLAIM_FAILED.warn("Stored webhooks not claimed now, the sweep tries again: " + SqlFailures.describe(e));
            exchange.setRouteStop(true);
            return;
        }
        Map<String, List<InboxEntry>> fresh = new LinkedHashMap<>();
        List<CallBatch> batches = new ArrayList<>();
        for (InboxEntry entry : claim.entries()) {
            if (entry.attempts() == 1) {
                fresh.computeIfAbsent(entry.provider() + "\n" + entry.routeId(), key -> new ArrayList<>()).add(entry);
            } else if (entry.attempts() > maxAttempts) {
                giveUp(entry);
            } else {
                batches.add(batch(List.of(entry)));
            }
        }
        fresh.values().forEach(group -> batches.add(0, batch(group)));
        if (batches.isEmpty() && !claim.moreDue()) {
            exchange.setRouteStop(true);
            return;
        }
        exchange.setProperty(MORE, claim.moreDue());
        exchange.getMessage().setBody(batches);
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
