package com.dce.etl.mapping;

/** A source value that a transform cannot turn into its column's kind, e.g. "abc" for a decimal. */
public class ValueRejected extends Exception {
    public ValueRejected(String message) {
        super(message, null, false, false);
    }
}
