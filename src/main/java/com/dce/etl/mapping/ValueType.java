package com.dce.etl.mapping;

/** The kinds of values a DCE column holds, and so the kind a transform must produce for it. */
public enum ValueType {
    TEXT, INTEGER, DECIMAL, BOOLEAN, TIMESTAMP, JSON,
    /** A list of E.164 numbers. */
    PHONE_LIST
}
