package com.dce.etl.db;

import java.util.List;

import com.dce.etl.config.ConfigurationException;

/**
 * The one place where H2 and PostgreSQL differ: how an upsert statement and a key lookup are shaped. Everything else
 * (schema, merge rule expressions, other queries) is SQL both understand.
 */
public interface SqlDialect {

    /**
     * An upsert of one row into {@code table} keyed by {@code keyColumns}: insert the {@code columns} from the
     * statement's parameters (in order, {@code ?} each, cast to {@code sqlTypes}), or, when the key exists and
     * {@code changedCondition} holds, set each column of {@code updates} to its expression. In the expressions the
     * stored row is {@code t} and the incoming one is referred to by {@link #incoming()}.
     */
    String upsert(String table, List<String> keyColumns, List<String> columns, List<String> sqlTypes,
            List<Assignment> updates, String changedCondition);

    /** The alias by which update expressions refer to the incoming row. */
    String incoming();

    /**
     * A query for the rows of {@code table} whose {@code column} is one of an array (first parameter) within
     * {@code scope} = the second parameter; it returns each found value and the row's {@code returned} column. Each
     * value must be looked up through the ({@code scope}, {@code column}) index, even in a table just filled whose
     * statistics are stale.
     */
    String keyLookup(String table, String scope, String column, String returned);

    record Assignment(String column, String expression) {
    }

    static SqlDialect forUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return new H2Dialect();
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect();
        }
        throw new ConfigurationException(
                "dce.db.url: only jdbc:h2: and jdbc:postgresql: are supported, got " + jdbcUrl.split(";")[0]);
    }
}
