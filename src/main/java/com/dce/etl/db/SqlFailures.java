package com.dce.etl.db;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Tells database faults that pass (connection lost, database down, lock or serialization conflicts, pool exhausted)
 * from faults in the data (constraint, value too long) that no retry will fix.
 */
public final class SqlFailures {
    /** H2 error codes for a closed or unreachable database and lock timeouts. */
    private static final Set<Integer> H2_TRANSIENT_CODES = Set.of(90067, 90098, 90020, 90121, 50200, 90135);
    /** H2's "concurrent update" and lock timeout: another transaction holds the row. */
    private static final Set<Integer> H2_CONFLICT_CODES = Set.of(90131, 50200);
    private static final Set<String> CONFLICT_STATES = Set.of("23505", "40001", "40P01");

    private SqlFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && anyTransientState(sql)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the failure is two transactions wanting the same rows or keys at once: a unique key that another writer
     * took since this one looked (23505), a deadlock or serialization failure (40P01, 40001), or a row another
     * transaction holds (H2). Redoing the whole transaction from its input resolves it.
     */
    public static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            int guard = 0;
            for (SQLException e = t instanceof SQLException sql ? sql : null; e != null && guard++ < 100;
                    e = e.getNextException()) {
                if (CONFLICT_STATES.contains(e.getSQLState()) || H2_CONFLICT_CODES.contains(e.getErrorCode())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A short account of a database failure for logs, poll state and dead letters: the SQLState and the first line
     * of the most specific message. Drivers otherwise quote whole statements with their values (pgjdbc's
     * "Batch entry 0 INSERT ...", H2's "; SQL statement:"), which is long and puts call data into logs.
     */
    public static String describe(Throwable failure) {
        Throwable specific = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            specific = t;
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                specific = sql.getNextException();
                break;
            }
        }
        if (!(specific instanceof SQLException) && failure instanceof SQLException) {
            specific = failure;
        }
        String message = specific.getMessage() == null ? specific.getClass().getSimpleName()
                : specific.getMessage().lines().findFirst().orElse("");
        int statement = message.indexOf("; SQL statement:");
        if (statement > 0) {
            message = message.substring(0, statement);
        }
        if (specific instanceof SQLException sql && sql.getSQLState() != null) {
            message = "SQLState " + sql.getSQLState() + ": " + message;
        }
        return message.length() <= 500 ? message : message.substring(0, 500) + "...";
    }

    /** A batch failure carries the driver's real error in its chain of next exceptions (PostgreSQL). */
    private static boolean anyTransientState(SQLException first) {
        int guard = 0;
        for (SQLException e = first; e != null && guard++ < 100; e = e.getNextException()) {
            if (isTransientState(e)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransientState(SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                || state.startsWith("57P") || state.equals("HYT00"))) {
            return true;
        }
        return H2_TRANSIENT_CODES.contains(e.getErrorCode());
    }
}
