package com.dce.etl.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The three PostgreSQL settings the benchmark found holding webhooks up while still at PostgreSQL's defaults, which
 * are sized for a small machine: one line of advice for each, logged once at start (README, Production). Only at or
 * below the defaults, which were measured; a server sized by its operator is left alone.
 */
final class PostgresServerAdvice {
    private static final long DEFAULT_SHARED_BUFFERS = 128L << 20;
    private static final long DEFAULT_MAX_WAL_SIZE = 1L << 30;
    private static final long DEFAULT_MIN_WAL_SIZE = 80L << 20;

    /** The settings read, in bytes. */
    record Sizes(long sharedBuffers, long maxWalSize, long minWalSize) {
    }

    private PostgresServerAdvice() {
    }

    static List<String> read(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement(); ResultSet row = sql.executeQuery(
                "SELECT pg_size_bytes(current_setting('shared_buffers')),"
                        + " pg_size_bytes(current_setting('max_wal_size')),"
                        + " pg_size_bytes(current_setting('min_wal_size'))")) {
            row.next();
            return advise(new Sizes(row.getLong(1), row.getLong(2), row.getLong(3)));
        }
    }

    static List<String> advise(Sizes sizes) {
        List<String> advice = new ArrayList<>();
        if (sizes.sharedBuffers() <= DEFAULT_SHARED_BUFFERS) {
            advice.add("PostgreSQL's shared_buffers is " + (sizes.sharedBuffers() >> 20) + " MB: pages of dce_calls"
                    + " then wait in Linux's cache and are written out in bursts that webhook commits wait behind"
                    + " (p99 147-201 ms in the benchmark, 32-44 ms with 2GB); set it to about a quarter of the"
                    + " server's memory");
        }
        if (sizes.maxWalSize() <= DEFAULT_MAX_WAL_SIZE) {
            advice.add("PostgreSQL's max_wal_size is " + (sizes.maxWalSize() >> 20) + " MB: under a bulk load it"
                    + " checkpoints every 10-43 s, and the first change of each page after a checkpoint writes the"
                    + " whole page to the WAL again; 8GB avoided that in the benchmark");
        }
        if (sizes.minWalSize() <= DEFAULT_MIN_WAL_SIZE) {
            advice.add("PostgreSQL's min_wal_size is " + (sizes.minWalSize() >> 20) + " MB: it keeps only the WAL"
                    + " files its last checkpoints needed, and webhooks beyond that make it create new ones, 16 MB"
                    + " written and synced while every commit waits (one every 1.4 s, p99 48-53 ms in the benchmark,"
                    + " 33-36 ms with the files kept); set it to about half of max_wal_size");
        }
        return advice;
    }
}
