package com.dce.etl.mapping;

/** A column a mapping file fills: its name in the file and the database, the kind of value, its default transform. */
public interface TargetColumn {

    String columnName();

    ValueType type();

    /**
     * The most characters a text value may have: the length of the column's VARCHAR. A longer value is the record's
     * mapping error, named in its dead letter, not a database error for the whole batch to sort out.
     */
    default int maxLength() {
        return Integer.MAX_VALUE;
    }

    /** The transform a mapping file gets for this column when it names none. */
    default String defaultTransform() {
        return switch (type()) {
            case TEXT -> "text";
            case INTEGER -> "seconds";
            case DECIMAL -> "decimal";
            case BOOLEAN -> "boolean";
            case TIMESTAMP -> "timestamp";
            case JSON -> "json_object";
            case PHONE_LIST -> "phones";
        };
    }
}
