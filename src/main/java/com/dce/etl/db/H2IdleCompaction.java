package com.dce.etl.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts the service's H2 file once nothing has been committed to it for a while. H2 keeps the space of replaced
 * and deleted rows (the inbox's churn above all) and, with each commit written before it returns (WRITE_DELAY=0),
 * never compacts in the background; at close it compacts for MAX_COMPACT_TIME only. After a million calls and 536,000
 * webhooks the 30 s allowed at close were not enough in 2 of 10 benchmark runs, which left a file of twice the
 * calls' size. Compacting while idle does not depend on how long a stop may take, nor on the service ever stopping.
 * <p>
 * The compaction is H2's own (the one it runs at close): chunks with few live rows are rewritten, the others moved
 * to the start of the file and the file cut. It runs in slices of 200 ms, each holding H2's store lock, so a commit
 * that arrives waits for the slice in progress (H2 finishes the step it is in: the longest slice measured took 1.3 s);
 * after it the compaction waits for the next idle period. Reading transactions keep the versions they read (H2 frees
 * no chunk a reader still uses).
 * <p>
 * Only where this JVM opened the file itself; a database reached through another process's AUTO_SERVER is left alone.
 */
public final class H2IdleCompaction implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(H2IdleCompaction.class);
    private static final int SLICE_MILLIS = 200;
    private static final long PAUSE_MILLIS = 5;
    /**
     * How long one idle period's compaction may run, a second for each {@link #BYTES_PER_SECOND} of the file, at least
     * {@link #MIN_SECONDS}. H2 never finds a big file compact enough: it went on rewriting chunks without shortening
     * the file, and at close rewrites for all of MAX_COMPACT_TIME. Nor does the file get shorter slice by slice: the
     * first slices of a 3.6 GB file made it longer (25 slices ended at 3,590 MB from 3,525), later ones shortened it
     * to 1,884 MB (0.99x the same calls written by a plain upsert) within about 40 s.
     */
    private static final long BYTES_PER_SECOND = 40L << 20;
    private static final long MIN_SECONDS = 30;

    private final DataSource dataSource;
    private final long idleNanos;
    private final ScheduledExecutorService timer;
    private final AtomicLong slices = new AtomicLong();
    private final AtomicLong stoppedForWrites = new AtomicLong();
    /** Not interrupted: an interrupt in the middle of H2's file I/O closes its file channel, and the database. */
    private volatile boolean closed;
    private long seenVersion = -1;
    private long lastChangeNanos = System.nanoTime();
    /** Whether this idle period's compaction is over (the file compact, or H2 had nothing to do). */
    private boolean compactedSinceChange;
    /**
     * The file's length when the last compaction ended. The next one waits until the file has grown by a tenth: H2
     * never finds a big file compact enough, and each idle period after a few webhooks would rewrite it again.
     */
    private long compactedSize;
    private boolean notOurs;

    private H2IdleCompaction(DataSource dataSource, Duration idleAfter) {
        this.dataSource = dataSource;
        this.idleNanos = idleAfter.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "h2-idle-compaction");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts looking for {@code idleAfter} without a change, every second (more often for shorter periods). */
    public static H2IdleCompaction start(DataSource dataSource, Duration idleAfter) {
        H2IdleCompaction compaction = new H2IdleCompaction(dataSource, idleAfter);
        long check = Math.max(50, Math.min(1000, idleAfter.toMillis() / 4));
        compaction.timer.scheduleWithFixedDelay(compaction::check, check, check, TimeUnit.MILLISECONDS);
        return compaction;
    }

    /** Slices of compaction run so far. */
    long slices() {
        return slices.get();
    }

    /** Compactions stopped so far because something else was committed. */
    long stoppedForWrites() {
        return stoppedForWrites.get();
    }

    private void check() {
        try (Connection connection = dataSource.getConnection()) {
            Database database = ownDatabase(connection);
            if (closed || database == null || database.getStore() == null) {
                return;
            }
            MVStore store = database.getStore().getMvStore();
            if (store.isClosed() || store.getFileStore() == null) {
                return;
            }
            // each commit that changed something writes a new version of the store; reads, and transactions that
            // changed nothing (the inbox's sweeps when it is empty), do not. H2's count of changed tables would not
            // do: a transaction that locked a table counts, even when it changed no row.
            if (store.getCurrentVersion() != seenVersion) {
                seenVersion = store.getCurrentVersion();
                lastChangeNanos = System.nanoTime();
                compactedSinceChange = false;
                return;
            }
            if (!compactedSinceChange && System.nanoTime() - lastChangeNanos >= idleNanos) {
                if (store.getFileStore().size() > compactedSize + compactedSize / 10) {
                    compact(store);
                } else {
                    compactedSinceChange = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            // no connection: H2 closing at a stop (with AUTO_SERVER, from its own shutdown hook, before the service
            // has stopped this); the next check tries again
            LOG.debug("H2 compaction while idle: no connection: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("H2 compaction while idle failed: {}", e.toString());
        }
    }

    /**
     * Slices until a slice finds nothing to rewrite (it writes no new version then), the time allowed runs out, or
     * something else is committed.
     */
    private void compact(MVStore store) throws InterruptedException {
        FileStore<?> file = store.getFileStore();
        long before = file.size();
        long started = System.nanoTime();
        long allowed = TimeUnit.SECONDS.toNanos(Math.max(MIN_SECONDS, before / BYTES_PER_SECOND));
        long count = 0;
        long longest = 0;
        while (!closed && store.getCurrentVersion() == seenVersion) {
            int retention = store.getRetentionTime();
            long sliceStarted = System.nanoTime();
            try {
                // H2's own compaction at close; it lets chunks be reused at once, which is what shrinks the file
                store.compactFile(SLICE_MILLIS);
            } finally {
                store.setRetentionTime(retention);
            }
            slices.incrementAndGet();
            count++;
            longest = Math.max(longest, System.nanoTime() - sliceStarted);
            // a commit that took the store lock just before the slice is counted as the slice's own: the slice after
            // it runs anyway, and the next commit is seen
            boolean wrote = store.getCurrentVersion() != seenVersion;
            seenVersion = store.getCurrentVersion();
            if (!wrote || System.nanoTime() - started >= allowed) {
                compactedSinceChange = true;
                compactedSize = file.size();
                LOG.info("H2 file compacted while idle: {} MB -> {} MB in {} s ({} slices, the longest {} ms)",
                        before >> 20, file.size() >> 20, String.format("%.1f", (System.nanoTime() - started) / 1e9),
                        count, longest / 1_000_000);
                return;
            }
            // H2's store lock is fair: a commit that waited for the slice takes it now and is seen before the next
            TimeUnit.MILLISECONDS.sleep(PAUSE_MILLIS);
        }
        if (closed) {
            return;
        }
        stoppedForWrites.incrementAndGet();
        LOG.info("H2 compaction while idle stopped for new writes at {} MB (from {} MB)", file.size() >> 20,
                before >> 20);
    }

    private Database ownDatabase(Connection connection) throws SQLException {
        if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session) {
            return session.getDatabase();
        }
        if (!notOurs) {
            notOurs = true;
            LOG.info("The H2 database is open in another process (AUTO_SERVER): that process compacts its file");
        }
        return null;
    }

    /** Stops looking, and waits for a slice in progress to end (before the pool closes). */
    @Override
    public void close() {
        closed = true;
        timer.shutdown();
        try {
            timer.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
