package com.dce.etl.inbox;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.db.IdentityRows;
import com.dce.etl.db.SqlDialect;

/**
 * Stores incoming webhook requests in {@code dce_inbox} with group commit: requests that arrive together are inserted
 * by one writer thread in one transaction, and each caller gets its id once that transaction has committed. A commit
 * costs a disk write; sharing it lets the service acknowledge thousands of webhooks a second without acknowledging
 * one that is not stored.
 * <p>
 * While the {@link InboxHandoff} has room, a batch is inserted already claimed (with a lease, and due again only
 * when the lease runs out) and handed to this instance's workers before its senders are answered, so loading it
 * needs no claim of its own; otherwise it is inserted due at once, for any worker's claim.
 */
public final class InboxWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InboxWriter.class);
    /** Webhooks stored in one transaction, at most; no more than {@link IdentityRows#MAX_ROWS}. */
    private static final int MAX_BATCH = 200;
    private static final long MAX_BATCH_CHARS = 8L * 1024 * 1024;

    private record Pending(String provider, String channel, String routeId, String payload,
            CompletableFuture<Long> id) {
    }

    private static final List<String> COLUMNS = List.of("provider", "channel", "route_id", "payload", "received_at",
            "attempts", "next_attempt_at", "claimed_until", "claim_token");
    private static final int[] JDBC_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
        Types.TIMESTAMP_WITH_TIMEZONE, Types.INTEGER, Types.TIMESTAMP_WITH_TIMEZONE, Types.TIMESTAMP_WITH_TIMEZONE,
        Types.VARCHAR};

    private final DataSource dataSource;
    private final IdentityRows rows;
    private final Duration timeout;
    private final InboxHandoff handoff;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(10_000);
    private final Thread writer;
    private volatile boolean running = true;

    /**
     * {@code dialect}: how the inserted entries get their ids; {@code timeout}: how long a caller waits for its commit
     * before it is told storage is unavailable.
     */
    public InboxWriter(DataSource dataSource, SqlDialect dialect, Duration timeout, InboxHandoff handoff) {
        this.dataSource = dataSource;
        this.rows = dialect.identityRows("dce_inbox", "id", COLUMNS, JDBC_TYPES);
        this.timeout = timeout;
        this.handoff = handoff;
        this.writer = new Thread(this::writeLoop, "inbox-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Stores a request without waiting: the future completes with its id once committed, or fails with an
     * {@link SQLException} (storage failed, the writer is saturated, or the commit took longer than the timeout).
     * The future completes on the writer's thread, so what follows it must hand itself to a thread of its own.
     */
    public CompletableFuture<Long> submit(String provider, String channel, String routeId, String payload) {
        Pending pending = new Pending(provider, channel, routeId, payload, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            return CompletableFuture.failedFuture(new SQLTransientException("inbox writer is saturated"));
        }
        return pending.id().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(failure -> {
            // a timed-out entry may still commit later: then it is loaded like any other, only its sender was told
            // to retry
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            return CompletableFuture.failedFuture(cause instanceof SQLException ? cause
                    : cause instanceof TimeoutException
                            ? new SQLTransientException("storing took longer than " + timeout.toMillis() + " ms")
                            : new SQLException("storing failed", cause));
        });
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long chars = first.payload().length();
                while (batch.size() < MAX_BATCH && chars < MAX_BATCH_CHARS) {
                    Pending next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    chars += next.payload().length();
                }
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // the batch fails (its senders get 503 and send again), the writer goes on: pgjdbc has thrown an
                // AssertionError from a batch on a connection the database had closed, and a dead writer thread
                // left every later webhook unstored until a restart
                LOG.error("Inbox writer failed on a batch of {}; its webhooks are answered 503: {}", batch.size(),
                        e.toString());
                SQLException failure = new SQLTransientException("storing failed: " + e, e);
                batch.forEach(pending -> pending.id().completeExceptionally(failure));
            }
            batch.clear();
        }
    }

    private void write(List<Pending> batch) {
        // as the database keeps it: a handed-over entry's receipt time is the one a claim would read back
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        boolean handOver = handoff.hasRoomFor(batch.size());
        OffsetDateTime leaseEnd = handOver ? now.plus(handoff.lease()) : null;
        String token = handOver ? InboxStore.newToken() : null;
        try {
            long[] ids = rows.insert(dataSource, values(batch, now, handOver, leaseEnd, token));
            // before the answers: a sender's wake-up must find its entry, or the sign to claim it
            if (handOver) {
                handoff.add(entries(batch, ids, now), token, now.toInstant());
            } else {
                handoff.storedForClaim();
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).id().complete(ids[i]);
            }
        } catch (SQLException e) {
            batch.forEach(pending -> pending.id().completeExceptionally(e));
        }
    }

    /** The batch as rows of {@link #COLUMNS}. */
    private static List<Object[]> values(List<Pending> batch, OffsetDateTime now, boolean handOver,
            OffsetDateTime leaseEnd, String token) {
        List<Object[]> values = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            // a handed-over entry counts as started once, like a claimed one, and is due when its lease ends
            values.add(new Object[] {pending.provider(), pending.channel(), pending.routeId(), pending.payload(), now,
                handOver ? 1 : 0, handOver ? leaseEnd : now, leaseEnd, token});
        }
        return values;
    }

    private static List<InboxEntry> entries(List<Pending> batch, long[] ids, OffsetDateTime receivedAt) {
        List<InboxEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            entries.add(new InboxEntry(ids[i], pending.provider(), pending.channel(), pending.routeId(),
                    pending.payload(), receivedAt, 1));
        }
        return entries;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.join(5_000);
    }
}
