package com.dce.etl.db;

import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

/**
 * Rows inserted into a table keyed by an identity column and committed, all or none, with the id each row got given
 * back in the rows' order: a stored webhook's 202 names its id, and the worker that loads it deletes it by that id.
 */
public interface IdentityRows {
    /**
     * The most rows one call stores. pgjdbc sends a batch's statements ahead and reads their answers at a Sync, which
     * it forces early once it expects about 256 statements' answers; in auto-commit mode a Sync commits, so
     * {@link ReservedIdRows} stays below that even with a statement per row.
     */
    int MAX_ROWS = 250;

    /**
     * Inserts {@code rows} (a value per column, in the order the columns were given; null for NULL; at most
     * {@link #MAX_ROWS}) with a connection of {@code dataSource} and commits them as one transaction; the id of each,
     * in order. Nothing is stored when it throws.
     */
    long[] insert(DataSource dataSource, List<Object[]> rows) throws SQLException;

    /** Throws unless {@code rows} are few enough for one call. */
    static void checkSize(List<Object[]> rows) {
        if (rows.size() > MAX_ROWS) {
            throw new IllegalArgumentException(rows.size() + " rows, more than the " + MAX_ROWS + " one call stores");
        }
    }
}
