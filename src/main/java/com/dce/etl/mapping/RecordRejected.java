package com.dce.etl.mapping;

/** A record that can never load as it is; it goes to the dead letters with its reason. */
public class RecordRejected extends Exception {
    private final ReasonCode reason;

    public RecordRejected(ReasonCode reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public ReasonCode reason() {
        return reason;
    }
}
