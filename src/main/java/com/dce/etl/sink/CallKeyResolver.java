package com.dce.etl.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.mapping.MappedCall;

/**
 * Keeps one row per call when a provider sends some events with only its {@code id} and others with only its
 * {@code uuid} (TrackDrive). A uuid-only record joins the row that already has that uuid, or starts a row keyed by
 * the uuid itself; when a record later brings both, that uuid-keyed row is re-keyed to the id, or merged into the
 * id's row if one exists by then.
 * <p>
 * Under concurrent delivery the answer read here can be outdated by the time the row is written; the database's keys
 * ({@code (provider, external_call_id)} and {@code (provider, call_uuid)}) then refuse the write, and the writer runs
 * the transaction again from the records as received. So resolution never changes a received record: a uuid-only
 * record gets its key on a copy.
 */
final class CallKeyResolver {
    private final String byUuid;
    private final String byId;
    private final String digestById;

    CallKeyResolver(SqlDialect dialect) {
        byUuid = dialect.keyLookup("dce_calls", "provider", "call_uuid", "external_call_id", "source_hash");
        byId = dialect.keyLookup("dce_calls", "provider", "external_call_id", "external_call_id");
        digestById = dialect.keyLookup("dce_calls", "provider", "external_call_id", "source_hash");
    }

    /** What a call needs before its upsert; {@code call} is the record to write, keyed. */
    sealed interface Resolution permits Ready, Rekey, Conflict {
    }

    record Ready(MappedCall call) implements Resolution {
    }

    /** The call's row is stored under its uuid and must move to its id first. */
    record Rekey(MappedCall call, String fromId, String toId) implements Resolution {
    }

    /** The uuid already belongs to a different call id: the record contradicts what is stored. */
    record Conflict(String message) implements Resolution {
    }

    /**
     * What the rows holding the calls' uuids say: each uuid's external id ({@code ids}), and the digest of the record
     * last merged into each of those rows ({@code digests}, by external id; rows without one left out). Read in one
     * lookup, so a re-read page whose calls all carry a uuid needs no second one for its digests.
     */
    record KnownRows(Map<String, String> ids, Map<String, String> digests) {
    }

    KnownRows knownIds(Connection connection, String provider, List<MappedCall> calls) throws SQLException {
        KnownRows known = new KnownRows(new HashMap<>(), new HashMap<>());
        lookUp(connection, provider, byUuid, calls.stream().map(MappedCall::callUuid), row -> {
            String id = row.getString(2);
            known.ids().put(row.getString(1), id);
            putDigest(known.digests(), id, row.getString(3));
        });
        return known;
    }

    /** The digest of the record last merged into each stored row among {@code ids} (rows without one left out). */
    Map<String, String> storedDigests(Connection connection, String provider, Collection<String> ids)
            throws SQLException {
        Map<String, String> digests = new HashMap<>();
        lookUp(connection, provider, digestById, ids.stream(),
                row -> putDigest(digests, row.getString(1), row.getString(2)));
        return digests;
    }

    private static void putDigest(Map<String, String> digests, String id, String digest) {
        if (digest != null) {
            digests.put(id, digest);
        }
    }

    /** Which of the calls' external ids already have a row, for one provider. */
    Set<String> existingIds(Connection connection, String provider, List<MappedCall> calls) throws SQLException {
        Set<String> existing = new HashSet<>();
        lookUp(connection, provider, byId, calls.stream().map(MappedCall::externalCallId),
                row -> existing.add(row.getString(1)));
        return existing;
    }

    private interface FoundRow {
        void accept(ResultSet row) throws SQLException;
    }

    /** Finds the rows whose key is one of {@code values}; hands each (value, returned columns) to {@code found}. */
    private static void lookUp(Connection connection, String provider, String query, Stream<String> values,
            FoundRow found) throws SQLException {
        String[] distinct = values.filter(value -> value != null).distinct().toArray(String[]::new);
        if (distinct.length == 0) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setArray(1, connection.createArrayOf("VARCHAR", distinct));
            statement.setString(2, provider);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.accept(rows);
                }
            }
        }
    }

    /**
     * Decides the call's key against {@code known} (uuid to stored id) and records the outcome in {@code known}, so
     * later calls of the same batch see it. A uuid-only call comes back as a keyed copy.
     */
    Resolution resolve(MappedCall call, Map<String, String> known) {
        String uuid = call.callUuid();
        String id = call.externalCallId();
        if (uuid == null) {
            return new Ready(call);
        }
        String storedId = known.get(uuid);
        if (id == null) {
            String key = storedId != null ? storedId : uuid;
            known.put(uuid, key);
            return new Ready(call.withExternalCallId(key));
        }
        if (storedId == null || storedId.equals(id)) {
            known.put(uuid, id);
            return new Ready(call);
        }
        if (!storedId.equals(uuid)) {
            return new Conflict("uuid " + uuid + " already belongs to call id " + storedId + ", not " + id);
        }
        known.put(uuid, id);
        return new Rekey(call, uuid, id);
    }

    /**
     * Moves the row stored under {@code rekey.fromId} to {@code rekey.toId}. When the id already has a row of its
     * own, the uuid row is removed and returned so the caller merges it into the id row like any other delivery. The
     * uuid row is locked before it is read: a delivery merging into it at the same moment either lands before (and is
     * carried over) or waits and then finds the row gone, fails on the uuid key and is redone against the id row.
     */
    MappedCall rekey(Connection connection, String provider, Rekey rekey) throws SQLException {
        if (!exists(connection, provider, rekey.toId())) {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE dce_calls SET external_call_id = ? WHERE provider = ? AND external_call_id = ?")) {
                update.setString(1, rekey.toId());
                update.setString(2, provider);
                update.setString(3, rekey.fromId());
                update.executeUpdate();
            }
            return null;
        }
        MappedCall uuidRow = StoredCallReader.readForUpdate(connection, provider, rekey.fromId());
        if (uuidRow == null) {
            return null;
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM dce_calls WHERE provider = ? AND external_call_id = ?")) {
            delete.setString(1, provider);
            delete.setString(2, rekey.fromId());
            delete.executeUpdate();
        }
        return uuidRow.withExternalCallId(rekey.toId());
    }

    private static boolean exists(Connection connection, String provider, String id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM dce_calls WHERE provider = ? AND external_call_id = ?")) {
            query.setString(1, provider);
            query.setString(2, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
