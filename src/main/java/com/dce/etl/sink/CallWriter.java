package com.dce.etl.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.db.SqlFailures;
import com.dce.etl.db.Transactions;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.mapping.ReasonCode;

/**
 * Writes mapped calls into {@code dce_calls} in one transaction: a JDBC batch for a poll page, a single statement for
 * a webhook. A fault that passes (database down, lock conflict) is thrown for the caller to retry; a fault in the data
 * is narrowed down by writing the calls one by one, so only the offending call is returned as failed.
 */
public final class CallWriter {

    public record FailedCall(MappedCall call, ReasonCode reason, String message) {
    }

    public record Outcome(int written, List<FailedCall> failed) {
    }

    private final DataSource dataSource;
    private final CallUpsertStatement upsert;
    private final CallKeyResolver keys = new CallKeyResolver();

    public CallWriter(DataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.upsert = new CallUpsertStatement(dialect);
    }

    public Outcome write(String provider, List<MappedCall> calls, String channel) throws SQLException {
        if (calls.isEmpty()) {
            return new Outcome(0, List.of());
        }
        try {
            List<FailedCall> conflicts = inTransaction(provider, calls, channel, calls.size() > 1);
            return new Outcome(calls.size() - conflicts.size(), conflicts);
        } catch (SQLException e) {
            if (SqlFailures.isTransient(e)) {
                throw e;
            }
            if (calls.size() == 1) {
                return new Outcome(0, List.of(dbError(calls.get(0), e)));
            }
            return oneByOne(provider, calls, channel);
        }
    }

    private Outcome oneByOne(String provider, List<MappedCall> calls, String channel) throws SQLException {
        List<FailedCall> failed = new ArrayList<>();
        for (MappedCall call : calls) {
            try {
                failed.addAll(inTransaction(provider, List.of(call), channel, false));
            } catch (SQLException e) {
                if (SqlFailures.isTransient(e)) {
                    throw e;
                }
                failed.add(dbError(call, e));
            }
        }
        return new Outcome(calls.size() - failed.size(), failed);
    }

    private List<FailedCall> inTransaction(String provider, List<MappedCall> calls, String channel, boolean batched)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<FailedCall> conflicts = upsertAll(connection, provider, calls, channel, batched);
                connection.commit();
                return conflicts;
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private List<FailedCall> upsertAll(Connection connection, String provider, List<MappedCall> calls, String channel,
            boolean batched) throws SQLException {
        Map<String, String> known = keys.knownIds(connection, provider, calls);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<FailedCall> conflicts = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(upsert.sql())) {
            // a multi-row upsert may not touch one key twice, so a repeated key starts a new batch
            Set<String> pendingKeys = new HashSet<>();
            for (MappedCall call : calls) {
                CallKeyResolver.Resolution resolution = keys.resolve(call, known);
                if (resolution instanceof CallKeyResolver.Conflict conflict) {
                    conflicts.add(new FailedCall(call, ReasonCode.MAPPING_ERROR, conflict.message()));
                    continue;
                }
                if (resolution instanceof CallKeyResolver.Rekey rekey) {
                    flush(statement, pendingKeys);
                    MappedCall displaced = keys.rekey(connection, provider, rekey);
                    if (displaced != null) {
                        upsert.bind(statement, displaced, channel, now);
                        statement.executeUpdate();
                    }
                }
                if (!batched) {
                    upsert.bind(statement, call, channel, now);
                    statement.executeUpdate();
                    continue;
                }
                if (pendingKeys.contains(call.externalCallId())) {
                    flush(statement, pendingKeys);
                }
                pendingKeys.add(call.externalCallId());
                upsert.bind(statement, call, channel, now);
                statement.addBatch();
            }
            flush(statement, pendingKeys);
        }
        return conflicts;
    }

    private static void flush(PreparedStatement statement, Set<String> pendingKeys) throws SQLException {
        if (!pendingKeys.isEmpty()) {
            statement.executeBatch();
            pendingKeys.clear();
        }
    }

    private static FailedCall dbError(MappedCall call, SQLException e) {
        return new FailedCall(call, ReasonCode.DB_ERROR, SqlFailures.describe(e));
    }
}
