package com.dce.etl.bench;

import java.util.List;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.sink.BatchCompletion;
import com.dce.etl.sink.CallWriter;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The bulk load's storing step alone: the same records, mapped and digested as the service does it (not timed),
 * written page by page through the service's {@link CallWriter} (key lookups, new calls the database's fastest way,
 * the merge rule) into an empty {@code dce_calls}. Beside the ceiling it tells whether the step that stores pages, one
 * after the other, is what limits a bulk load, or the CPU the fetching and mapping share with it.
 */
final class StoringStep {
    private StoringStep() {
    }

    /** Rows per second of storing time. */
    static double measure(HikariDataSource dataSource, long records, int pageSize) throws Exception {
        MappedRows rows = new MappedRows();
        SqlDialect dialect = SqlDialect.forUrl(dataSource.getJdbcUrl());
        CallWriter writer = new CallWriter(dataSource, dialect, CallWriter.CONFLICT_RETRY,
                new DeadLetterStore(dataSource, dialect));
        long nanos = 0;
        for (long from = 0; from < records; from += pageSize) {
            List<MappedCall> page = rows.page(from, Math.min(records, from + pageSize));
            page.forEach(MappedCall::digest);
            long started = System.nanoTime();
            writer.write("trackdrive", "poll", "bench", page, BatchCompletion.nothing());
            nanos += System.nanoTime() - started;
        }
        return records / (nanos / 1e9);
    }
}
