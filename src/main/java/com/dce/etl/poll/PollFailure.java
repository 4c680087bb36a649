package com.dce.etl.poll;

/** A poll that cannot go on now; its watermark stays where the last committed page left it. */
public class PollFailure extends Exception {
    public PollFailure(String message) {
        super(message);
    }

    public PollFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
