package com.dce.etl.mapping;

/** A column a mapping file fills: its name in the file and the database, the kind of value, its default transform. */
public interface TargetColumn {

    String columnName();

    ValueType type();

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
