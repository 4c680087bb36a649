package com.dce.etl.db;

/** An error message as the error columns ({@code VARCHAR(4000)}) hold it: cut, never refused by the database. */
public final class ErrorText {
    public static final int MAX = 4000;

    private ErrorText() {
    }

    public static String fit(String message) {
        return message == null || message.length() <= MAX ? message : message.substring(0, MAX);
    }
}
