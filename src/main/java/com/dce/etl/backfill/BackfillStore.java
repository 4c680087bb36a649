package com.dce.etl.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.dce.etl.db.Rows;

/**
 * {@code dce_backfills}. A backfill is claimed by one instance at a time: the claim and its renewals move
 * {@code lease_until}; a running backfill whose lease has passed (its instance died) is claimed again and goes on from
 * its position. Each page's checkpoint is written in the page's own transaction, and only by the lease's owner.
 */
public final class BackfillStore {
    private static final String COLUMNS = "id, provider, stream, purpose, from_time, to_time, status, position, pages,"
            + " records_read, rows_written, dead_letters, total, cancel_requested, error, created_at, started_at,"
            + " finished_at";

    /** The position of a backfill whose last page is committed. */
    static final String ALL_PAGES = "";

    private final DataSource dataSource;

    public BackfillStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public long create(String provider, String stream, String purpose, OffsetDateTime from, OffsetDateTime to)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO dce_backfills (provider, stream,"
                     + " purpose, from_time, to_time, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, provider);
            insert.setString(2, stream);
            insert.setString(3, purpose);
            insert.setObject(4, from);
            insert.setObject(5, to);
            insert.setString(6, Backfill.QUEUED);
            insert.setObject(7, now());
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public Optional<Backfill> find(long id) throws SQLException {
        List<Backfill> found = query("SELECT " + COLUMNS + " FROM dce_backfills WHERE id = ?", id);
        return found.stream().findFirst();
    }

    /** Newest first. */
    public List<Backfill> list(int limit) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM dce_backfills ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY");
    }

    /** Those not finished: queued or running. */
    public List<Backfill> unfinished() throws SQLException {
        return query("SELECT " + COLUMNS + " FROM dce_backfills WHERE status IN ('queued', 'running') ORDER BY id");
    }

    /**
     * Claims the oldest backfill that is queued, or running under a lease that has passed, for {@code owner} until
     * {@code leaseUntil}; empty when there is none (or another instance claimed it first).
     */
    public Optional<Backfill> claimNext(String owner, OffsetDateTime leaseUntil) throws SQLException {
        OffsetDateTime now = now();
        List<Backfill> candidates = query("SELECT " + COLUMNS + " FROM dce_backfills WHERE status = 'queued' OR"
                + " (status = 'running' AND lease_until < ?) ORDER BY id FETCH FIRST 5 ROWS ONLY", now);
        for (Backfill candidate : candidates) {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement claim = connection.prepareStatement("UPDATE dce_backfills SET status = 'running',"
                         + " lease_owner = ?, lease_until = ?, started_at = COALESCE(started_at, ?) WHERE id = ? AND"
                         + " (status = 'queued' OR (status = 'running' AND lease_until < ?))")) {
                claim.setString(1, owner);
                claim.setObject(2, leaseUntil);
                claim.setObject(3, now);
                claim.setLong(4, candidate.id());
                claim.setObject(5, now);
                if (claim.executeUpdate() == 1) {
                    return find(candidate.id());
                }
            }
        }
        return Optional.empty();
    }

    /** Extends the leases {@code owner} holds on running backfills. */
    public void renew(String owner, OffsetDateTime leaseUntil) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement renew = connection.prepareStatement("UPDATE dce_backfills SET lease_until = ?"
                     + " WHERE lease_owner = ? AND status = 'running'")) {
            renew.setObject(1, leaseUntil);
            renew.setString(2, owner);
            renew.executeUpdate();
        }
    }

    /**
     * A page's checkpoint, in the page's transaction: where the walk goes on and what the page added. Fails (and so
     * rolls the page back) when {@code owner} no longer holds the backfill: another instance took it over.
     */
    void checkpoint(Connection connection, long id, String owner, String position, int records, int written,
            int deadLetters, Long total) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE dce_backfills SET position = ?,"
                + " pages = pages + 1, records_read = records_read + ?, rows_written = rows_written + ?,"
                + " dead_letters = dead_letters + ?, total = COALESCE(?, total) WHERE id = ? AND lease_owner = ?"
                + " AND status = 'running'")) {
            update.setString(1, position);
            update.setInt(2, records);
            update.setInt(3, written);
            update.setInt(4, deadLetters);
            if (total == null) {
                update.setNull(5, Types.BIGINT);
            } else {
                update.setLong(5, total);
            }
            update.setLong(6, id);
            update.setString(7, owner);
            if (update.executeUpdate() != 1) {
                throw new SQLException("backfill " + id + " is no longer held by this instance", "40001");
            }
        }
    }

    /** Ends a backfill {@code owner} holds: done, failed (with why) or cancelled. */
    public void finish(long id, String owner, String status, String error) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE dce_backfills SET status = ?, error = ?,"
                     + " finished_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?"
                     + " AND status = 'running'")) {
            update.setString(1, status);
            update.setString(2, error == null ? null : error.length() > 4000 ? error.substring(0, 4000) : error);
            update.setObject(3, now());
            update.setLong(4, id);
            update.setString(5, owner);
            update.executeUpdate();
        }
    }

    /** Gives a running backfill up without ending it (the service stops): the next claim goes on from its position. */
    void release(long id, String owner) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE dce_backfills SET lease_owner = NULL,"
                     + " lease_until = ? WHERE id = ? AND lease_owner = ? AND status = 'running'")) {
            update.setObject(1, now().minusSeconds(1));
            update.setLong(2, id);
            update.setString(3, owner);
            update.executeUpdate();
        }
    }

    /**
     * Asks a backfill to stop: a queued one is cancelled at once, a running one stops before its next page. False when
     * it had finished already.
     */
    public boolean cancel(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement queued = connection.prepareStatement("UPDATE dce_backfills SET status = 'cancelled',"
                     + " cancel_requested = TRUE, finished_at = ? WHERE id = ? AND status = 'queued'");
             PreparedStatement running = connection.prepareStatement("UPDATE dce_backfills SET cancel_requested ="
                     + " TRUE WHERE id = ? AND status = 'running'")) {
            queued.setObject(1, now());
            queued.setLong(2, id);
            running.setLong(1, id);
            return queued.executeUpdate() + running.executeUpdate() > 0;
        }
    }

    boolean cancelRequested(long id) throws SQLException {
        return find(id).map(Backfill::cancelRequested).orElse(true);
    }

    private List<Backfill> query(String sql, Object... parameters) throws SQLException {
        return Rows.list(dataSource, sql, 0, BackfillStore::backfill, parameters);
    }

    private static Backfill backfill(ResultSet rows) throws SQLException {
        Object total = rows.getObject("total");
        return new Backfill(rows.getLong("id"), rows.getString("provider"), rows.getString("stream"),
                rows.getString("purpose"), rows.getObject("from_time", OffsetDateTime.class),
                rows.getObject("to_time", OffsetDateTime.class), rows.getString("status"), rows.getString("position"),
                rows.getLong("pages"), rows.getLong("records_read"), rows.getLong("rows_written"),
                rows.getLong("dead_letters"), total == null ? null : ((Number) total).longValue(),
                rows.getBoolean("cancel_requested"), rows.getString("error"),
                rows.getObject("created_at", OffsetDateTime.class), rows.getObject("started_at", OffsetDateTime.class),
                rows.getObject("finished_at", OffsetDateTime.class));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
