package com.dce.etl.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Rows inserted into a table keyed by an identity column, with the id each row got given back in the rows' order: a
 * stored webhook's 202 names its id, and the worker that loads it deletes it by that id.
 */
public interface IdentityRows {

    /**
     * Inserts {@code rows} (a value per column, in the order the columns were given; null for NULL) in
     * {@code connection}'s transaction; the id of each, in order.
     */
    long[] insert(Connection connection, List<Object[]> rows) throws SQLException;
}
