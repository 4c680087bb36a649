package com.dce.etl.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.dce.etl.support.LocalPostgres;

/**
 * Gives the benchmark's new PostgreSQL server the WAL files a server that has run a while keeps: {@code min_wal_size}
 * of them. A new server has one; each further one is created when the WAL reaches it, 16 MB of zeros written and
 * synced while every commit waits. Beside 60 s of webhooks on a new server that was one new file every 1.4 s, and 53
 * of the inbox writer's 75 commits over 15 ms came within 0.1 s of one (p99 48-53 ms, 33-36 ms with the files made
 * first; bench/RESULTS.md). A running server recycles its files at each checkpoint instead, keeping at least
 * {@code min_wal_size} of them.
 */
final class WalFilesAhead {
    private WalFilesAhead() {
    }

    /** Fills and switches away from as many WAL files as {@code min_wal_size} holds, then checkpoints; how many. */
    static long make(LocalPostgres server) throws SQLException {
        String database = server.newDatabase();
        long files;
        try (Connection connection = DriverManager.getConnection(database, "postgres", "");
                Statement sql = connection.createStatement()) {
            files = filesToKeep(sql);
            sql.execute("CREATE TABLE wal_ahead (x int)");
            for (long i = 0; i < files; i++) {
                // a switch needs a record in the file it closes, or it does nothing
                sql.execute("INSERT INTO wal_ahead VALUES (1)");
                sql.execute("SELECT pg_switch_wal()");
            }
            // the files written are now behind the checkpoint's start, and it renames them for reuse
            sql.execute("CHECKPOINT");
        }
        server.dropDatabase(database);
        return files;
    }

    private static long filesToKeep(Statement sql) throws SQLException {
        try (ResultSet row = sql.executeQuery("SELECT pg_size_bytes(current_setting('min_wal_size'))"
                + " / pg_size_bytes(current_setting('wal_segment_size'))")) {
            row.next();
            return row.getLong(1);
        }
    }
}
