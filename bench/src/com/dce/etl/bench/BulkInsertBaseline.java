package com.dce.etl.bench;

import java.sql.Connection;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.dce.etl.db.NewRows;
import com.dce.etl.db.SqlDialect;
import com.dce.etl.mapping.MappedCall;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The physical limit beside the batched-upsert ceiling: the same mapped records written the fastest way the engine
 * has into an identical empty {@code dce_calls}, one page per transaction: PostgreSQL's {@code COPY FROM STDIN}
 * (pgjdbc's CopyManager, CSV), H2's plain batched {@code INSERT} (no key lookup, no merge). Only database time counts.
 */
final class BulkInsertBaseline {
    private BulkInsertBaseline() {
    }

    /** Rows per second of database time. */
    static double measure(HikariDataSource dataSource, long records, int pageSize) throws Exception {
        MappedRows rows = new MappedRows();
        SqlDialect dialect = SqlDialect.forUrl(dataSource.getJdbcUrl());
        long nanos = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            // the service's own bulk path for new rows (COPY as CSV on PostgreSQL, batched INSERT on H2)
            try (NewRows inserts = dialect.newRows(connection, "dce_calls", MappedRows.columns(),
                    MappedRows.JDBC_TYPES)) {
                for (long from = 0; from < records; from += pageSize) {
                    List<MappedCall> page = rows.page(from, Math.min(records, from + pageSize));
                    long started = System.nanoTime();
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    for (MappedCall call : page) {
                        inserts.add(MappedRows.values(call, now));
                    }
                    inserts.send();
                    connection.commit();
                    nanos += System.nanoTime() - started;
                }
            }
        }
        return records / (nanos / 1e9);
    }
}
