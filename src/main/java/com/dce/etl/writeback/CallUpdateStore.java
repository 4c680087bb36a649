package com.dce.etl.writeback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

import com.dce.etl.db.ErrorText;
import com.dce.etl.db.Rows;
import com.dce.etl.db.Transactions;
import com.dce.etl.deadletter.DeadLetter;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.mapping.ReasonCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The write-back outbox {@code dce_call_updates}. An update is claimed ({@code sending}, with a lease) and that is
 * committed right before its request goes out; its answer is recorded after. Only the oldest unfinished update of a
 * call is ever due, so a call's updates reach the provider in the order they were accepted.
 */
public final class CallUpdateStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, provider, call_ref, fields, additive, status, attempts, response_status,"
            + " last_error, created_at, sent_at";
    static final String ROUTE_ID = "trackdrive-writeback";

    private final DataSource dataSource;
    private final DeadLetterStore deadLetters;

    public CallUpdateStore(DataSource dataSource, DeadLetterStore deadLetters) {
        this.dataSource = dataSource;
        this.deadLetters = deadLetters;
    }

    /** Stores the updates in one transaction; their ids, in order. */
    public List<Long> add(List<CallUpdateRequests.Checked> updates) throws SQLException {
        return Transactions.run(dataSource, connection -> add(connection, updates));
    }

    /** Stores the updates within the caller's transaction (a table feed marks its rows in the same one). */
    public List<Long> add(Connection connection, List<CallUpdateRequests.Checked> updates) throws SQLException {
        OffsetDateTime now = now();
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO dce_call_updates (provider, call_ref,"
                + " fields, additive, status, attempts, next_attempt_at, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            for (CallUpdateRequests.Checked update : updates) {
                insert.setString(1, update.provider());
                insert.setString(2, update.callRef());
                insert.setString(3, update.fields().toString());
                insert.setBoolean(4, update.additive());
                insert.setObject(5, now);
                insert.setObject(6, now);
                insert.setObject(7, now);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    ids.add(keys.getLong(1));
                }
            }
        }
        return ids;
    }

    public List<CallUpdate> list(String status, int limit) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM dce_call_updates" + (status == null ? "" : " WHERE status = ?")
                + " ORDER BY id DESC", limit, status == null ? new Object[0] : new Object[] {status});
    }

    /** Per provider, how many updates are in each status. */
    public Map<String, Map<String, Long>> countsByProvider() throws SQLException {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT provider, status, COUNT(*) FROM"
                        + " dce_call_updates GROUP BY provider, status");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.computeIfAbsent(rows.getString(1), p -> new TreeMap<>()).put(rows.getString(2),
                        rows.getLong(3));
            }
        }
        return counts;
    }

    /** Updates left {@code sending} by an instance that died before their answers were stored. */
    List<CallUpdate> abandoned() throws SQLException {
        return query("SELECT " + COLUMNS + " FROM dce_call_updates WHERE status = 'sending' AND lease_until < ?"
                + " ORDER BY id", 1000, now());
    }

    /** Up to {@code limit} updates due now, each the oldest unfinished one of its call, oldest first. */
    List<CallUpdate> due(int limit) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM dce_call_updates u WHERE u.status = 'pending' AND"
                + " u.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM dce_call_updates o WHERE o.provider ="
                + " u.provider AND o.call_ref = u.call_ref AND o.id < u.id AND o.status IN ('pending', 'sending'))"
                + " ORDER BY u.id", limit, now());
    }

    /**
     * Marks the update {@code sending} until {@code leaseUntil}, committed, right before its request goes out; the
     * claimed update, or empty when another instance claimed it first.
     */
    Optional<CallUpdate> claim(CallUpdate update, OffsetDateTime leaseUntil) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement("UPDATE dce_call_updates SET status ="
                        + " 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ? WHERE id = ? AND"
                        + " status = 'pending'")) {
            claim.setObject(1, leaseUntil);
            claim.setObject(2, now());
            claim.setLong(3, update.id());
            if (claim.executeUpdate() != 1) {
                return Optional.empty();
            }
        }
        return Optional.of(new CallUpdate(update.id(), update.provider(), update.callRef(), update.fields(),
                update.additive(), CallUpdate.SENDING, update.attempts() + 1, null, null, update.createdAt(), null));
    }

    /** The provider applied it: recorded, and applied to the stored call, in one transaction. */
    void sent(CallUpdate update, int responseStatus) throws SQLException {
        inTransaction(connection -> {
            OffsetDateTime now = now();
            try (PreparedStatement sent = connection.prepareStatement("UPDATE dce_call_updates SET status = 'sent',"
                    + " response_status = ?, sent_at = ?, lease_until = NULL, last_error = NULL, updated_at = ?"
                    + " WHERE id = ? AND status = 'sending'")) {
                sent.setInt(1, responseStatus);
                sent.setObject(2, now);
                sent.setObject(3, now);
                sent.setLong(4, update.id());
                if (sent.executeUpdate() == 1) {
                    LocalCallUpdate.apply(connection, update, now);
                }
            }
        });
    }

    /** Not applied (429, 5xx, or no answer for absolute fields): tried again from {@code at}. */
    void retry(CallUpdate update, OffsetDateTime at, Integer responseStatus, String error) throws SQLException {
        inTransaction(connection -> {
            try (PreparedStatement retry = connection.prepareStatement("UPDATE dce_call_updates SET status ="
                    + " 'pending', next_attempt_at = ?, lease_until = NULL, response_status = ?, last_error = ?,"
                    + " updated_at = ? WHERE id = ? AND status = 'sending'")) {
                retry.setObject(1, at);
                retry.setObject(2, responseStatus);
                retry.setString(3, ErrorText.fit(error));
                retry.setObject(4, now());
                retry.setLong(5, update.id());
                retry.executeUpdate();
            }
        });
    }

    /**
     * Will not be sent by itself again: a dead letter on channel {@code writeback} with the update as its payload
     * (replaying it queues it anew), in the same transaction.
     */
    void dead(CallUpdate update, ReasonCode reason, Integer responseStatus, String message) throws SQLException {
        inTransaction(connection -> {
            try (PreparedStatement dead = connection.prepareStatement("UPDATE dce_call_updates SET status = 'dead',"
                    + " lease_until = NULL, response_status = ?, last_error = ?, updated_at = ? WHERE id = ? AND"
                    + " status IN ('sending', 'pending')")) {
                dead.setObject(1, responseStatus);
                dead.setString(2, ErrorText.fit(reason + ": " + message));
                dead.setObject(3, now());
                dead.setLong(4, update.id());
                if (dead.executeUpdate() == 1) {
                    deadLetters.addAll(connection, List.of(new DeadLetter(update.provider(), "writeback", ROUTE_ID,
                            reason, message, payload(update).toString())));
                }
            }
        });
    }

    /** The dead letter's payload: the update as it was asked for, with its outbox id (which keeps letters apart). */
    static ObjectNode payload(CallUpdate update) {
        ObjectNode payload = JSON.createObjectNode().put("update_id", update.id()).put("provider", update.provider())
                .put("call", update.callRef());
        payload.setAll(update.fields().deepCopy());
        return payload;
    }

    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    private void inTransaction(Work work) throws SQLException {
        Transactions.run(dataSource, connection -> {
            work.run(connection);
            return null;
        });
    }

    private List<CallUpdate> query(String sql, int limit, Object... parameters) throws SQLException {
        return Rows.list(dataSource, sql, limit, CallUpdateStore::update, parameters);
    }

    private static CallUpdate update(ResultSet rows) throws SQLException {
        ObjectNode fields;
        try {
            fields = (ObjectNode) JSON.readTree(rows.getString(4));
        } catch (JsonProcessingException e) {
            throw new SQLException("dce_call_updates.fields is not JSON: " + e.getOriginalMessage(), e);
        }
        return new CallUpdate(rows.getLong(1), rows.getString(2), rows.getString(3), fields, rows.getBoolean(5),
                rows.getString(6), rows.getInt(7), (Integer) rows.getObject(8, Integer.class), rows.getString(9),
                rows.getObject(10, OffsetDateTime.class), rows.getObject(11, OffsetDateTime.class));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
