package com.dce.etl.poll;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.dce.etl.db.ErrorText;
import com.dce.etl.db.SqlDialect;

/**
 * {@code dce_poll_state}: how far each provider stream has been loaded. The watermark only moves forward and only
 * after the rows it covers are committed; callers advance it page by page.
 */
public final class WatermarkStore {
    private final DataSource dataSource;
    /** The stream's row, made when it is first written; concurrent first writes of one stream cannot collide. */
    private final String ensureRow;

    public WatermarkStore(DataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.ensureRow = dialect.upsert("dce_poll_state", List.of("provider", "stream"),
                List.of("provider", "stream", "rows_loaded"), List.of("VARCHAR", "VARCHAR", "BIGINT"), List.of(), null);
    }

    public Optional<PollState> get(String provider, String stream) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT watermark, last_success_at, last_error, rows_loaded FROM dce_poll_state"
                                + " WHERE provider = ? AND stream = ?")) {
            query.setString(1, provider);
            query.setString(2, stream);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new PollState(provider, stream, row.getObject(1, OffsetDateTime.class),
                        row.getObject(2, OffsetDateTime.class), row.getString(3), row.getLong(4)));
            }
        }
    }

    public List<PollState> all() throws SQLException {
        List<PollState> states = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT provider, stream, watermark, last_success_at, last_error, rows_loaded"
                                + " FROM dce_poll_state ORDER BY provider, stream");
                ResultSet row = query.executeQuery()) {
            while (row.next()) {
                states.add(new PollState(row.getString(1), row.getString(2), row.getObject(3, OffsetDateTime.class),
                        row.getObject(4, OffsetDateTime.class), row.getString(5), row.getLong(6)));
            }
        }
        return states;
    }

    /** Moves the watermark to {@code watermark} if that is later (null leaves it) and counts the loaded rows. */
    public void advance(String provider, String stream, OffsetDateTime watermark, int rowsLoaded) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            advance(connection, provider, stream, watermark, rowsLoaded);
        }
    }

    /** The same within the caller's transaction: a page's rows and its watermark commit together. */
    public void advance(Connection connection, String provider, String stream, OffsetDateTime watermark,
            int rowsLoaded) throws SQLException {
        if (watermark == null) {
            update(connection, provider, stream, "rows_loaded = rows_loaded + ?", (long) rowsLoaded);
            return;
        }
        update(connection, provider, stream, "watermark = CASE WHEN watermark IS NULL OR watermark < ? THEN ? ELSE"
                + " watermark END, rows_loaded = rows_loaded + ?", watermark, watermark, (long) rowsLoaded);
    }

    public void succeeded(String provider, String stream) throws SQLException {
        update(provider, stream, "last_success_at = ?, last_error = NULL", OffsetDateTime.now(ZoneOffset.UTC));
    }

    public void failed(String provider, String stream, String error) throws SQLException {
        update(provider, stream, "last_error = ?", ErrorText.fit(error));
    }

    private void update(String provider, String stream, String assignments, Object... values) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            update(connection, provider, stream, assignments, values);
        }
    }

    private void update(Connection connection, String provider, String stream, String assignments,
            Object... values) throws SQLException {
        ensureRow(connection, provider, stream);
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE dce_poll_state SET " + assignments + " WHERE provider = ? AND stream = ?")) {
            int i = 1;
            for (Object value : values) {
                update.setObject(i++, value);
            }
            update.setString(i++, provider);
            update.setString(i, stream);
            update.executeUpdate();
        }
    }

    private void ensureRow(Connection connection, String provider, String stream) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(ensureRow)) {
            insert.setString(1, provider);
            insert.setString(2, stream);
            insert.setLong(3, 0);
            insert.executeUpdate();
        }
    }
}
