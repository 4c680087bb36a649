package com.dce.etl.db;

import java.sql.SQLException;

/**
 * Rows known to have no row yet, written into one table the fastest way the database has, inside the caller's
 * transaction. A row whose key exists after all fails the transaction like an INSERT would (a unique-key violation),
 * so the caller's conflict handling is the same either way. From the first add until the send, the connection may be
 * busy with the rows (PostgreSQL's COPY streams them): the caller runs no other statement on it in between.
 */
public interface NewRows extends AutoCloseable {

    /** Adds one row: a value per column, in the order the columns were given; null for NULL. */
    void add(Object[] values) throws SQLException;

    /** Writes the rows added since the last send; the number written. */
    int send() throws SQLException;

    @Override
    void close() throws SQLException;
}
