package com.dce.etl.inbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Webhooks this instance stored already claimed, waiting for one of its inbox workers. {@link InboxWriter} inserts
 * a batch with the lease of a claim when there is room here, and puts the entries here before their senders are
 * answered; a worker takes them without a claim of its own, which was a quarter of an H2 inbox worker's CPU in a
 * flight recording of 50 s of webhooks (the claim's updates, its read-back and its commit). Held in memory only:
 * when the instance dies, the entries stay claimed in {@code dce_inbox} until their lease runs out, and any
 * instance's claim takes them then, as it takes the entries of a worker that died while loading them.
 * <p>
 * An entry is handed to a worker only while at least half its lease is left, so a worker that takes it does not race
 * the claim that follows the lease; older entries are dropped here and loaded by that claim.
 */
public final class InboxHandoff {
    private record Handed(InboxEntry entry, String token, Instant takeBefore) {
    }

    /** An entry's claim as its row holds it. */
    public record Lease(long id, String token) {
    }

    private final int capacity;
    private final Duration lease;
    private final Clock clock;
    private final ArrayDeque<Handed> waiting = new ArrayDeque<>();
    private final AtomicBoolean storedForClaim = new AtomicBoolean();

    /** {@code capacity}: entries held at most; a batch that does not fit is stored unclaimed and claimed as before. */
    public InboxHandoff(int capacity, Duration lease, Clock clock) {
        this.capacity = capacity;
        this.lease = lease;
        this.clock = clock;
    }

    /** How long the lease of an entry stored for this handoff runs. */
    public Duration lease() {
        return lease;
    }

    /** Whether {@code count} more entries fit (only the writer adds, so the answer holds until it adds them). */
    public synchronized boolean hasRoomFor(int count) {
        return waiting.size() + count <= capacity;
    }

    /** Entries whose rows were committed with {@code token} and a lease that started at {@code claimedAt}. */
    public synchronized void add(List<InboxEntry> entries, String token, Instant claimedAt) {
        Instant takeBefore = claimedAt.plus(lease.dividedBy(2));
        entries.forEach(entry -> waiting.add(new Handed(entry, token, takeBefore)));
        notifyAll();
    }

    /**
     * Up to {@code limit} entries, oldest first, after waiting up to {@code linger} for {@code limit} entries when
     * fewer are here (the writer hands over a commit's worth at a time, and a worker that takes each at once stores
     * many small batches); drops those whose lease is more than half gone.
     */
    public synchronized List<InboxEntry> take(int limit, Duration linger) throws InterruptedException {
        long deadline = System.nanoTime() + linger.toNanos();
        long left = linger.toNanos();
        while (waiting.size() < limit && left > 0) {
            wait(left / 1_000_000, (int) (left % 1_000_000));
            left = deadline - System.nanoTime();
        }
        Instant now = clock.instant();
        List<InboxEntry> taken = new ArrayList<>(Math.min(limit, waiting.size()));
        while (taken.size() < limit && !waiting.isEmpty()) {
            Handed next = waiting.poll();
            if (now.isBefore(next.takeBefore())) {
                taken.add(next.entry());
            }
        }
        return taken;
    }

    /** The writer stored entries for a claim instead (they did not fit). */
    public void storedForClaim() {
        storedForClaim.set(true);
    }

    /** Whether the writer stored entries for a claim since the last call; the caller then claims. */
    public boolean takeStoredForClaim() {
        return storedForClaim.getAndSet(false);
    }

    public synchronized boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Empties the handoff (the service is stopping): the leases of the entries no worker took. */
    public synchronized List<Lease> drain() {
        List<Lease> leases = waiting.stream().map(handed -> new Lease(handed.entry().id(), handed.token())).toList();
        waiting.clear();
        return leases;
    }
}
