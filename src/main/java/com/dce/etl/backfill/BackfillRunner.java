package com.dce.etl.backfill;

import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.db.SqlFailures;
import com.dce.etl.poll.PageRead;
import com.dce.etl.poll.PollStream;

/**
 * Runs the stored backfills, {@code concurrency} at a time per instance: on each tick (the backfills route's timer) it
 * renews the leases of those running here and claims queued ones (or ones whose instance died) while it has room. A
 * backfill's pages go through the read-pages route like a poll's, spending the stream's request budget; a claimed
 * backfill with a position goes on from there.
 */
public final class BackfillRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillRunner.class);

    private final BackfillStore store;
    private final ChannelRegistry channels;
    private final CamelContext context;
    private final ProducerTemplate producer;
    private final ExecutorService workers;
    private final int concurrency;
    private final Duration lease;
    private final String owner = UUID.randomUUID().toString();
    private final Set<Long> runningHere = ConcurrentHashMap.newKeySet();
    private volatile Consumer<Backfill> onEnd = ended -> { };

    public BackfillRunner(BackfillStore store, ChannelRegistry channels, CamelContext context,
            ProducerTemplate producer, ExecutorService workers, int concurrency, Duration lease) {
        this.store = store;
        this.channels = channels;
        this.context = context;
        this.producer = producer;
        this.workers = workers;
        this.concurrency = concurrency;
        this.lease = lease;
    }

    /** Called with each backfill once it has ended (the reconciliation re-checks the days it healed). */
    public void onEnd(Consumer<Backfill> listener) {
        this.onEnd = listener;
    }

    /** The backfills route's step: renew leases, then start what there is room for. */
    public void tick() {
        try {
            store.renew(owner, leaseEnd());
            while (runningHere.size() < concurrency && !context.isStopping()) {
                Optional<Backfill> claimed = store.claimNext(owner, leaseEnd());
                if (claimed.isEmpty()) {
                    return;
                }
                Backfill backfill = claimed.get();
                runningHere.add(backfill.id());
                workers.submit(() -> run(backfill));
            }
        } catch (SQLException e) {
            LOG.warn("Backfills not looked at now, the next tick tries again: {}", SqlFailures.describe(e));
        }
    }

    private void run(Backfill backfill) {
        Runnable ended = () -> {
            runningHere.remove(backfill.id());
            try {
                store.find(backfill.id()).ifPresent(onEnd);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Backfill {} ended; could not tell its listeners: {}", backfill.id(), e.getMessage());
            }
        };
        try {
            Optional<PollStream> stream = channels.find(PollStream.class, backfill.provider(), backfill.stream());
            if (stream.isEmpty() || !stream.get().isOn()) {
                store.finish(backfill.id(), owner, Backfill.FAILED, backfill.provider() + " " + backfill.stream()
                        + (stream.isEmpty() ? " is not declared in the routes files" : " is off"));
                ended.run();
                return;
            }
            if (BackfillStore.ALL_PAGES.equals(backfill.position())) {
                store.finish(backfill.id(), owner, Backfill.DONE, null);
                ended.run();
                return;
            }
            LOG.info("Backfill {} of {} {} {}..{} ({}){}", backfill.id(), backfill.provider(), backfill.stream(),
                    backfill.from(), backfill.to(), backfill.purpose(),
                    backfill.position() == null ? "" : " goes on at " + backfill.position());
            BackfillPurpose purpose = new BackfillPurpose(backfill, store, owner,
                    () -> context.isStopping() || context.isStopped(), ended);
            PageRead read = backfill.position() == null
                    ? stream.get().read(purpose, backfill.from(), backfill.to())
                    : stream.get().resume(purpose, backfill.from(), backfill.to(), backfill.position());
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setBody(read);
            producer.send("direct:read-pages", exchange);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Backfill {} could not start: {}", backfill.id(), e.getMessage());
            try {
                store.finish(backfill.id(), owner, Backfill.FAILED, e.getMessage());
            } catch (SQLException notRecorded) {
                // its lease runs out and a later tick claims it again
            }
            ended.run();
        }
    }

    private OffsetDateTime leaseEnd() {
        return OffsetDateTime.now(ZoneOffset.UTC).plus(lease);
    }
}
