package com.dce.etl.mapping;

import java.sql.Types;

/** The kinds of values a DCE column holds, and so the kind a transform must produce for it. */
public enum ValueType {
    TEXT, INTEGER, DECIMAL, BOOLEAN, TIMESTAMP, JSON,
    /** A list of E.164 numbers. */
    PHONE_LIST;

    /** The JDBC type a column of this kind is bound as, for a NULL. */
    public int jdbcType() {
        return switch (this) {
            case TEXT, JSON -> Types.VARCHAR;
            case INTEGER -> Types.INTEGER;
            case DECIMAL -> Types.DECIMAL;
            case BOOLEAN -> Types.BOOLEAN;
            case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
            case PHONE_LIST -> throw new IllegalStateException("a phone list is no column's value");
        };
    }
}
