package com.dce.etl.writeback;

import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.http.ProviderApiFailure;
import com.dce.etl.http.RequestBudget;
import com.dce.etl.mapping.ReasonCode;
import com.dce.etl.retry.Backoff;

/**
 * The writeback route's steps: the {@link #due} updates (first settling those an instance left in flight when it
 * died), then {@link #deliver} each: spend the provider's request budget, claim it, send it, record the answer.
 *
 * <p>The rule for an update whose outcome is unknown (no answer: a timeout, a broken connection, a crash between
 * sending and storing the answer): absolute fields ({@code revenue}, {@code buyer_converted}, ...) are sent again,
 * which leaves the same result; an additive field ({@code add_revenue}, {@code add_payout}) is not, since TrackDrive
 * would add it twice and offers no idempotency key: it becomes a dead letter {@code OUTCOME_UNKNOWN} for a person to
 * check on TrackDrive and replay only if it was not applied. A 429 or 5xx means "not applied" and is retried, additive
 * or not; another 4xx is a dead letter {@code PROVIDER_REFUSED} with TrackDrive's answer.
 */
public final class CallUpdateDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(CallUpdateDelivery.class);

    private final CallUpdateStore store;
    private final CallUpdateSender sender;
    private final RequestBudget budget;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Duration maxRetryAfter;
    private final Duration lease;
    private final int batch;

    /**
     * {@code lease}: how long a claimed update may be in flight before it counts as abandoned; longer than a
     * request's timeout, so a slow answer is never taken for a crash.
     */
    public CallUpdateDelivery(CallUpdateStore store, CallUpdateSender sender, RequestBudget budget, Backoff backoff,
            int maxAttempts, Duration maxRetryAfter, Duration lease, int batch) {
        this.store = store;
        this.sender = sender;
        this.budget = budget;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.maxRetryAfter = maxRetryAfter;
        this.lease = lease;
        this.batch = batch;
    }

    /** The updates to send now (settling first those left in flight by a dead instance); none while it is off. */
    public List<CallUpdate> due() throws SQLException {
        if (!sender.missingSettings().isEmpty()) {
            return List.of();
        }
        for (CallUpdate abandoned : store.abandoned()) {
            if (abandoned.additive()) {
                store.dead(abandoned, ReasonCode.OUTCOME_UNKNOWN, null, "sent (attempt " + abandoned.attempts()
                        + ") but no answer was recorded (the service stopped or timed out); TrackDrive may have"
                        + " applied it: check the call there, and replay this only if it did not");
                LOG.warn("Call update {} ({} {}) adds to a value and its outcome is unknown: dead letter"
                        + " OUTCOME_UNKNOWN, not sent again", abandoned.id(), abandoned.provider(),
                        abandoned.callRef());
            } else {
                store.retry(abandoned, now(), null, "no answer recorded; sent again (absolute fields)");
            }
        }
        return store.due(batch);
    }

    /**
     * Claims one update (committed), sends it and records what its answer means. Only the update on the wire is ever
     * {@code sending}, so a crash leaves at most that one with an unknown outcome.
     */
    public void deliver(CallUpdate due) throws SQLException, InterruptedException {
        try {
            budget.acquire();
        } catch (ProviderApiFailure usedUp) {
            // still pending: the next round asks again
            LOG.info("Call updates wait for the request budget: {}", usedUp.getMessage());
            return;
        }
        Optional<CallUpdate> claimed = store.claim(due, now().plus(lease));
        if (claimed.isEmpty()) {
            return;
        }
        CallUpdate update = claimed.get();
        CallUpdateSender.Answer answer = sender.send(update);
        if (answer instanceof CallUpdateSender.Applied applied) {
            store.sent(update, applied.status());
        } else if (answer instanceof CallUpdateSender.Refused refused) {
            store.dead(update, ReasonCode.PROVIDER_REFUSED, refused.status(), "HTTP " + refused.status() + ": "
                    + refused.body());
            LOG.warn("Call update {} ({} {}) refused with HTTP {}: dead letter", update.id(), update.provider(),
                    update.callRef(), refused.status());
        } else if (answer instanceof CallUpdateSender.NotApplied notApplied) {
            later(update, notApplied.status(), notApplied.error(), notApplied.retryAfter().orElse(Duration.ZERO));
        } else if (answer instanceof CallUpdateSender.NoAnswer none) {
            if (update.additive()) {
                store.dead(update, ReasonCode.OUTCOME_UNKNOWN, null, none.error() + "; TrackDrive may have applied"
                        + " it: check the call there, and replay this only if it did not");
            } else {
                later(update, null, none.error(), Duration.ZERO);
            }
        }
    }

    private void later(CallUpdate update, Integer status, String error, Duration retryAfter) throws SQLException {
        if (update.attempts() >= maxAttempts) {
            store.dead(update, ReasonCode.MAX_ATTEMPTS, status, "not applied after " + update.attempts()
                    + " attempts, last: " + error);
            return;
        }
        Duration wait = backoff.delay(update.attempts());
        Duration asked = retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
        store.retry(update, now().plus(asked.compareTo(wait) > 0 ? asked : wait), status, error);
        LOG.info("Call update {} ({} {}) not applied ({}), attempt {}; sent again later", update.id(),
                update.provider(), update.callRef(), error, update.attempts());
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
