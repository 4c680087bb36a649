package com.dce.etl.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ANALYZE of the columns a table's rows are looked up by, each time the rows written to it since the last one reach
 * the rows that one counted (at least 1,000), on a thread of its own, so no write waits for it: a table that grows
 * from empty is analyzed at about 1,000, 2,000, 4,000 rows and so on, until autovacuum has analyzed it once; from then
 * on autovacuum keeps its statistics. Only those columns: analyzing the whole table made backfills of 200,000 calls
 * into a new database 12-17% slower on 2 cores (two alternated pairs), the lookup columns alone cost nothing the
 * benchmark could see; and an ANALYZE of some columns leaves autovacuum's count of changes as it was, so autovacuum
 * still analyzes the whole table when it comes.
 * <p>
 * PostgreSQL's autovacuum analyzes a table too, but only once its launcher gets to the database. On a server with
 * many databases a backlog of 100,000 webhooks loaded into a new one in 80 s without it (21,800 rows in, still never
 * analyzed). Until a table has statistics, every index that starts with {@code provider} costs the planner the same for
 * a key lookup, and it took {@code (provider, call_start_time)}: each looked-up value read every row of the provider
 * (367 million index entries read for 27,000 lookups; with one inbox worker the backlog loaded at 1,200 webhooks a
 * second, 8,900 with this). The planner's cached plans are made again after an ANALYZE.
 */
final class PostgresAnalyze implements TableGrowth {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresAnalyze.class);
    private static final long FIRST = 1_000;
    private static final String NOT_PERMITTED = "42501";

    private final DataSource dataSource;
    private final String table;
    private final String columns;
    private final AtomicLong sinceLast = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long next = FIRST;
    private volatile boolean done;

    PostgresAnalyze(DataSource dataSource, String table, List<String> columns) {
        this.dataSource = dataSource;
        this.table = table;
        this.columns = String.join(", ", columns);
    }

    @Override
    public void written(long rows) {
        if (done || sinceLast.addAndGet(rows) < next || !running.compareAndSet(false, true)) {
            return;
        }
        sinceLast.set(0);
        Thread thread = new Thread(this::analyze, "analyze-" + table);
        thread.setDaemon(true);
        thread.start();
    }

    private void analyze() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("ANALYZE " + table + " (" + columns + ")");
            try (ResultSet counted = statement.executeQuery("SELECT c.reltuples, s.last_autoanalyze IS NOT NULL"
                    + " FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid"
                    + " WHERE c.oid = '" + table + "'::regclass")) {
                if (counted.next()) {
                    next = Math.max(FIRST, (long) counted.getDouble(1));
                    done = counted.getBoolean(2);
                }
            }
        } catch (SQLException e) {
            // the service's user owns the tables it created, so a refusal means another owner: leave it to autovacuum
            done = NOT_PERMITTED.equals(e.getSQLState());
            LOG.warn("ANALYZE {} failed{}: {}", table, done ? " (not tried again; autovacuum analyzes it)" : "",
                    SqlFailures.describe(e));
        } finally {
            running.set(false);
        }
    }
}
