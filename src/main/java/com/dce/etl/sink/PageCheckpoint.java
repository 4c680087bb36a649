package com.dce.etl.sink;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a read of a provider's pages stands once a page is stored, committed in the same transaction as the page's
 * rows: a stream's watermark, a backfill's position. A crash leaves both or neither, so a read never skips a page.
 */
public interface PageCheckpoint {

    /**
     * Writes the checkpoint within the page's transaction; {@code stored}: the page's calls stored, {@code changed}:
     * the rows they inserted or changed (a call read again with nothing new is stored but changes nothing), counted
     * only when asked, since a driver's batch may not tell and it then costs a query.
     */
    void commit(Connection connection, int stored, RowsChanged changed) throws SQLException;

    /** The rows a page's calls inserted or changed, counted within its transaction. */
    @FunctionalInterface
    interface RowsChanged {
        int count() throws SQLException;
    }
}
