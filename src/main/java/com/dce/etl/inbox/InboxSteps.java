package com.dce.etl.inbox;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.db.SqlFailures;
import com.dce.etl.deadletter.DeadLetter;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.mapping.ReasonCode;
import com.dce.etl.pipeline.CallBatch;
import com.dce.etl.pipeline.SourceRecord;

/**
 * The inbox route's steps: claim a stored webhook request, turn it into a batch for the load route, then delete it
 * once loaded, or put it back for a later attempt when loading failed.
 */
public final class InboxSteps {
    /** Exchange property holding the inbox entry id; set by the webhook receiver and by the sweep. */
    public static final String INBOX_ID = "dceInboxId";
    private static final String ENTRY = "dceInboxEntry";
    private static final Logger LOG = LoggerFactory.getLogger(InboxSteps.class);

    private final InboxStore inbox;
    private final DeadLetterStore deadLetters;
    private final int maxAttempts;
    private final Duration sweepGrace;

    public InboxSteps(InboxStore inbox, DeadLetterStore deadLetters, int maxAttempts, Duration sweepGrace) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.maxAttempts = maxAttempts;
        this.sweepGrace = sweepGrace;
    }

    /**
     * Claims the entry named by {@link #INBOX_ID}; the body becomes its {@link CallBatch}. Stops the route when another
     * worker has the entry, and dead-letters an entry that was started {@code max-attempts} times without finishing.
     */
    public void claim(Exchange exchange) throws SQLException {
        long id = exchange.getProperty(INBOX_ID, Long.class);
        Optional<InboxEntry> claimed = inbox.claim(id);
        if (claimed.isEmpty()) {
            exchange.setRouteStop(true);
            return;
        }
        InboxEntry entry = claimed.get();
        if (entry.attempts() > maxAttempts) {
            LOG.error("Inbox entry {} ({}) was attempted {} times; moving it to the dead letters",
                    id, entry.provider(), entry.attempts() - 1);
            deadLetters.addAll(List.of(new DeadLetter(entry.provider(), entry.channel(), entry.routeId(),
                    ReasonCode.MAX_ATTEMPTS, "not loaded after " + (entry.attempts() - 1) + " attempts",
                    entry.payload())));
            inbox.complete(id);
            exchange.setRouteStop(true);
            return;
        }
        exchange.setProperty(ENTRY, entry);
        exchange.getMessage().setBody(new CallBatch(entry.provider(), entry.channel(), entry.routeId(),
                List.of(SourceRecord.ofText(entry.payload()))));
    }

    public void complete(Exchange exchange) throws SQLException {
        inbox.complete(exchange.getProperty(ENTRY, InboxEntry.class).id());
    }

    /** After a failed load: logs the cause and schedules the entry again with backoff. */
    public void retryLater(Exchange exchange) {
        InboxEntry entry = exchange.getProperty(ENTRY, InboxEntry.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause == null ? "unknown failure" : SqlFailures.describe(cause);
        LOG.warn("Loading inbox entry {} ({}) failed, attempt {}; will retry: {}",
                entry.id(), entry.provider(), entry.attempts(), reason);
        try {
            inbox.retryLater(entry, reason);
        } catch (SQLException e) {
            // the database is unreachable: the lease runs out and the sweep takes the entry again
            LOG.warn("Could not reschedule inbox entry {}: {}", entry.id(), e.getMessage());
        }
    }

    /** Ids of entries the immediate hand-off missed (crash, restart, full queue, failed attempts now due). */
    public List<Long> due() throws SQLException {
        return inbox.due(500, sweepGrace);
    }
}
