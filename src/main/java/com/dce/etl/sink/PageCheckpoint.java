package com.dce.etl.sink;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a read of a provider's pages stands once a page is stored, committed in the same transaction as the page's
 * rows: a stream's watermark, a backfill's position. A crash leaves both or neither, so a read never skips a page.
 */
public interface PageCheckpoint {

    /** Writes the checkpoint within the page's transaction; {@code written}: the page's calls stored. */
    void commit(Connection connection, int written) throws SQLException;
}
