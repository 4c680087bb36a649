package com.dce.etl.poll;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;

import com.dce.etl.sink.PageCheckpoint;

/** A live poll page's claim on its stream's watermark, committed in the same transaction as the page's rows. */
public record WatermarkAdvance(WatermarkStore store, String provider, String stream, OffsetDateTime watermark)
        implements PageCheckpoint {

    @Override
    public void commit(Connection connection, int stored, RowsChanged changed) throws SQLException {
        store.advance(connection, provider, stream, watermark, stored);
    }
}
