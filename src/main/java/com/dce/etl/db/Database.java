package com.dce.etl.db;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.config.Settings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Opens the connection pool on {@code dce.db.url} and brings the schema up to date with Flyway. */
public final class Database {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private static final String H2_BIND_ADDRESS = "h2.bindAddress";
    private static final String H2_OBJECT_CACHE = "h2.objectCache";

    public static final String DEFAULT_URL = "jdbc:h2:file:./data/dce;AUTO_SERVER=TRUE";

    /**
     * Each PostgreSQL connection plans every execution of a statement for its parameters. By default PostgreSQL may
     * keep one generic plan after five executions, made for the table as it was then. The inbox empties whenever
     * webhooks stop, and autovacuum then truncates it to no pages; a generic plan made at that moment reads the whole
     * table, and it was still used when the next burst had filled the inbox. In the benchmark, each inbox delete of
     * one loaded webhook then took 100 ms instead of 0.1 ms: a webhook reached its row after 98-117 ms instead of
     * 7 ms. Claims and key lookups are prepared the same way, on tables that also start empty. Planning each
     * execution costs a fraction of a millisecond (a backlog of 100,000 webhooks loaded as fast as before).
     */
    static final String CUSTOM_PLANS = "SET plan_cache_mode = force_custom_plan";

    private Database() {
    }

    /** A pool for {@code url} (the configured one, or validate's own) with the pool settings of {@code settings}. */
    public static HikariDataSource open(Settings settings, String url) {
        if (url.toUpperCase().contains(";AUTO_SERVER=TRUE") && System.getProperty(H2_BIND_ADDRESS) == null) {
            // AUTO_SERVER opens a TCP port for the H2 shell, on every interface unless told otherwise: anyone on the
            // network could then open the database. H2 reads this once, when its first class loads (just below).
            System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
        }
        if (url.startsWith("jdbc:h2:")) {
            if (System.getProperty(H2_OBJECT_CACHE) == null) {
                // H2 runs every string it reads through one shared cache, hashing and comparing it (a call's payload
                // of a kilobyte too): a quarter of the storing thread's samples in a re-load (JFR). The rows it reads
                // are dropped after each page, so there is nothing to share; without it, re-loads ran 27% more rows a
                // second (alternated runs in bench/RESULTS.md). Read once, like the bind address.
                System.setProperty(H2_OBJECT_CACHE, "false");
            }
            // found by BurstDeliveryTest: H2 does not always recover the transaction in flight at a SIGKILL
            LOG.info("H2 keeps acknowledged webhooks through a crash, but may leave the transaction in flight at a"
                    + " SIGKILL or power loss half recovered: use PostgreSQL where the process may be killed");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(durable(url));
        config.setUsername(settings.get("dce.db.user", url.startsWith("jdbc:h2:") ? "sa" : null));
        config.setPassword(settings.get("dce.db.password", ""));
        config.setMaximumPoolSize(settings.getInt("dce.db.pool-size", 10));
        config.setPoolName("dce-db");
        // how long a request waits for a connection: with the database away, webhooks get their 503 after this
        config.setConnectionTimeout(settings.getLong("dce.db.connection-timeout-ms", 3000));
        // the pool must not fail start-up on its own: DatabaseWait decides how long to wait
        config.setInitializationFailTimeout(-1);
        if (url.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            config.setConnectionInitSql(CUSTOM_PLANS);
        }
        return new HikariDataSource(config);
    }

    /**
     * The H2 settings the service depends on, unless the URL sets them itself:
     * <ul>
     * <li>H2 writes committed transactions to its file in the background (every 500 ms by default), so a killed
     * process would lose webhooks it had already acknowledged; WRITE_DELAY=0 writes each commit before it returns.</li>
     * <li>H2 closes the database from its own JVM shutdown hook, while the service is still finishing in-flight
     * webhooks and batches after a SIGTERM (they failed with "Database is already closed"); DB_CLOSE_ON_EXIT=FALSE
     * leaves closing to the service, which closes its pool last. H2 refuses it beside AUTO_SERVER=TRUE; there H2
     * still closes at exit, and what was in flight is claimed again after the restart.</li>
     * <li>H2 does not detect every deadlock between two writers of one call; the loser waits for the lock timeout
     * (2 s by default) before its transaction is redone. LOCK_TIMEOUT=500 (a batch of 200 webhooks commits in well
     * under 100 ms) took BurstDeliveryTest's 12,880 webhooks from 31-50 s to 25-29 s until all were loaded.</li>
     * <li>H2 keeps the space of replaced rows in its file (the inbox's churn above all) and, with WRITE_DELAY=0, runs
     * no background compaction; it compacts when the database closes, for MAX_COMPACT_TIME (200 ms by default).
     * After a benchmark run of 200,000 calls and 60 s of webhooks the file was 1,205 MB; closed with 10 s it was
     * 474 MB (6.2 s). After 1,000,000 calls and 464,600 webhooks, 10 s left 3,983 MB (2.1x the same calls written by
     * a plain batched upsert) and 30 more seconds 2,049 MB (1.1x). So 30 s: a graceful stop may take that much
     * longer (with AUTO_SERVER=TRUE it overlaps the drain, H2 closing from its own shutdown hook), and a SIGKILL in
     * the middle leaves the file as it was.</li>
     * <li>H2 keeps 16 MB of pages in its cache whatever the heap, and each commit replaces the pages it changed: in
     * a heap of 256 MB the cache's pages lived long enough to be copied by the young collections and moved to the
     * old generation, then were dropped. CACHE_SIZE of 1/64 of the heap (4 MB there): the collector paused 18-31% less,
     * bulk loads and re-loads ran about 25% faster and the webhooks' p99 fell 16-24% (two alternated pairs of
     * benchmark runs each, {@code bench/RESULTS.md}).</li>
     * </ul>
     */
    static String durable(String url) {
        boolean h2File = url.startsWith("jdbc:h2:file:") || url.startsWith("jdbc:h2:./") || url.startsWith("jdbc:h2:/");
        if (!h2File) {
            return url;
        }
        String upper = url.toUpperCase();
        String durable = upper.contains(";WRITE_DELAY=") ? url : url + ";WRITE_DELAY=0";
        String timed = upper.contains(";LOCK_TIMEOUT=") ? durable : durable + ";LOCK_TIMEOUT=500";
        timed = upper.contains(";MAX_COMPACT_TIME=") ? timed : timed + ";MAX_COMPACT_TIME=30000";
        timed = upper.contains(";CACHE_SIZE=") ? timed : timed + ";CACHE_SIZE=" + pageCacheKilobytes();
        boolean leaveAsIs = upper.contains(";DB_CLOSE_ON_EXIT=") || upper.contains(";AUTO_SERVER=TRUE");
        return leaveAsIs ? timed : timed + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** H2's CACHE_SIZE for this JVM: 1/64 of the heap, at least 4 MB (the size measured with a 256 MB heap). */
    static long pageCacheKilobytes() {
        return Math.max(4096, Runtime.getRuntime().maxMemory() / 64 / 1024);
    }

    /**
     * Brings the schema up to date (the database is reachable by now: {@link DatabaseWait}). PostgreSQL also gets
     * Quartz's tables, for a clustered scheduler.
     */
    public static void migrate(DataSource dataSource, String jdbcUrl) {
        String[] locations = jdbcUrl.startsWith("jdbc:postgresql:")
                ? new String[] {"classpath:db/migration", "classpath:db/postgresql"}
                : new String[] {"classpath:db/migration"};
        var result = Flyway.configure()
                .dataSource(dataSource)
                .locations(locations)
                .load()
                .migrate();
        LOG.info("Database schema at version {} ({} migrations applied now)",
                result.targetSchemaVersion, result.migrationsExecuted);
    }
}
