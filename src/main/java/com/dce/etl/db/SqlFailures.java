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
