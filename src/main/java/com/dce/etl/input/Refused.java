package com.dce.etl.input;

/** A request the service will not take as it is: the field at fault (as the caller named it) and why. */
public final class Refused extends Exception {
    private final String field;

    public Refused(String field, String message) {
        super(field + ": " + message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
