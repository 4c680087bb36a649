package com.dce.etl.reconcile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.dce.etl.db.Rows;
import com.dce.etl.db.Transactions;

/** {@code dce_reconciliation}, and the stored side of a day's count. */
public final class ReconciliationStore {
    /** {@code "day"} is quoted: H2 reserves the word. */
    private static final String COLUMNS = "provider, stream, \"day\", provider_count, stored_count, dead_letter_count,"
            + " status, backfill_id, checked_at, healed_at";

    private final DataSource dataSource;

    public ReconciliationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Calls of the provider stored with a start time in {@code from} (inclusive) .. {@code to} (exclusive). */
    long storedCalls(String provider, OffsetDateTime from, OffsetDateTime to) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM dce_calls WHERE provider = ?"
                     + " AND call_start_time >= ? AND call_start_time < ?")) {
            count.setString(1, provider);
            count.setObject(2, from);
            count.setObject(3, to);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The payloads of the provider's dead letters waiting for a mapping fix and a replay. */
    List<String> waitingDeadLetterPayloads(String provider) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT payload FROM dce_dead_letters WHERE"
                     + " provider = ? AND status = 'new'")) {
            select.setString(1, provider);
            List<String> payloads = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    payloads.add(rows.getString(1));
                }
            }
            return payloads;
        }
    }

    Optional<DayCheck> find(String provider, String stream, LocalDate day) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM dce_reconciliation WHERE provider = ? AND stream = ? AND \"day\" = ?",
                provider, stream, day).stream().findFirst();
    }

    /** The days checked since {@code since}, newest first. */
    public List<DayCheck> since(LocalDate since) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM dce_reconciliation WHERE \"day\" >= ?"
                + " ORDER BY \"day\" DESC, provider, stream", since);
    }

    /** Writes the day's row, replacing the one before. */
    void save(DayCheck check) throws SQLException {
        Transactions.run(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM dce_reconciliation WHERE"
                    + " provider = ? AND stream = ? AND \"day\" = ?");
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO dce_reconciliation (" + COLUMNS
                         + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                delete.setString(1, check.provider());
                delete.setString(2, check.stream());
                delete.setObject(3, check.day());
                delete.executeUpdate();
                insert.setString(1, check.provider());
                insert.setString(2, check.stream());
                insert.setObject(3, check.day());
                setLong(insert, 4, check.providerCount());
                insert.setLong(5, check.storedCount());
                insert.setLong(6, check.deadLetterCount());
                insert.setString(7, check.status());
                setLong(insert, 8, check.backfillId());
                insert.setObject(9, check.checkedAt());
                insert.setObject(10, check.healedAt());
                insert.executeUpdate();
            }
            return null;
        });
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private List<DayCheck> query(String sql, Object... parameters) throws SQLException {
        return Rows.list(dataSource, sql, 0, ReconciliationStore::dayCheck, parameters);
    }

    private static DayCheck dayCheck(ResultSet rows) throws SQLException {
        Object providerCount = rows.getObject("provider_count");
        Object backfill = rows.getObject("backfill_id");
        return new DayCheck(rows.getString("provider"), rows.getString("stream"), rows.getObject(3, LocalDate.class),
                providerCount == null ? null : ((Number) providerCount).longValue(), rows.getLong("stored_count"),
                rows.getLong("dead_letter_count"), rows.getString("status"),
                backfill == null ? null : ((Number) backfill).longValue(),
                rows.getObject("checked_at", OffsetDateTime.class), rows.getObject("healed_at", OffsetDateTime.class));
    }
}
