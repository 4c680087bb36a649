package com.dce.etl.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import javax.sql.DataSource;

import com.dce.etl.config.ConfigurationException;

/**
 * The one place where H2 and PostgreSQL differ: how an upsert statement and a key lookup are shaped, how new rows
 * are written in bulk, how rows get their identity ids back, and what keeps the planner's statistics in step with a
 * table the writers fill. Everything else
 * (schema, merge rule expressions, other queries) is SQL both understand. Dialects are found with
 * {@link ServiceLoader} (META-INF/services/com.dce.etl.db.SqlDialect), each saying which JDBC URLs it serves, as
 * kafka-connect-jdbc finds its database dialects.
 */
public interface SqlDialect {

    /** Whether this dialect serves databases at {@code jdbcUrl}. */
    boolean serves(String jdbcUrl);

    /**
     * An upsert of one row into {@code table} keyed by {@code keyColumns}: insert the {@code columns} from the
     * statement's parameters (in order, {@code ?} each, cast to {@code sqlTypes}), or, when the key exists and
     * {@code changedCondition} holds, set each column of {@code updates} to its expression. In the expressions the
     * stored row is {@code t} and the incoming one is referred to by {@link #incoming()}. With no updates, an existing
     * row is left as it is; {@code changedCondition} may be null for "always".
     */
    String upsert(String table, List<String> keyColumns, List<String> columns, List<String> sqlTypes,
            List<Assignment> updates, String changedCondition);

    /** The alias by which update expressions refer to the incoming row. */
    String incoming();

    /**
     * A query for the rows of {@code table} whose {@code column} is one of an array (first parameter) within
     * {@code scope} = the second parameter; it returns each found value and the row's {@code returned} columns. Each
     * value must be looked up through the ({@code scope}, {@code column}) index, even in a table just filled whose
     * statistics are stale.
     */
    String keyLookup(String table, String scope, String column, String... returned);

    /**
     * A writer of rows known to be new into {@code table}'s {@code columns}, in {@code connection}'s transaction;
     * {@code jdbcTypes} (one per column) types the NULLs where the database needs it.
     */
    NewRows newRows(Connection connection, String table, List<String> columns, int[] jdbcTypes) throws SQLException;

    /**
     * An inserter of rows into {@code table}'s {@code columns} that gives back the id each row got from the identity
     * column {@code idColumn}; {@code jdbcTypes} (one per column) types the NULLs.
     */
    IdentityRows identityRows(String table, String idColumn, List<String> columns, int[] jdbcTypes);

    /**
     * What the writers of {@code table} tell of the rows they write, so the database plans {@link #keyLookup}s by
     * {@code lookupColumns} with statistics that match the table; nothing by default.
     */
    default TableGrowth growthOf(DataSource dataSource, String table, List<String> lookupColumns) {
        return TableGrowth.NONE;
    }

    /**
     * Upkeep of the database's own storage while the service runs, stopped before the pool closes: nothing by
     * default; H2 compacts its file once nothing has been committed for {@code idleAfter} (zero: never).
     */
    default AutoCloseable storageUpkeep(DataSource dataSource, Duration idleAfter) {
        return () -> {
        };
    }

    /**
     * Advice on the database server's own settings, one line each, logged once at start: none by default; PostgreSQL
     * still at its defaults for memory and WAL gets {@link PostgresServerAdvice}'s.
     */
    default List<String> serverAdvice(Connection connection) throws SQLException {
        return List.of();
    }

    record Assignment(String column, String expression) {
    }

    static SqlDialect forUrl(String jdbcUrl) {
        List<String> known = new ArrayList<>();
        for (SqlDialect dialect : ServiceLoader.load(SqlDialect.class, SqlDialect.class.getClassLoader())) {
            if (dialect.serves(jdbcUrl)) {
                return dialect;
            }
            known.add(dialect.name());
        }
        throw new ConfigurationException("dce.db.url: only " + String.join(" and ", known)
                + " databases are supported, got " + jdbcUrl.split(";")[0]);
    }

    /** The URL prefix it serves, for messages. */
    String name();
}
