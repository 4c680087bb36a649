package com.dce.etl.deadletter;

import com.dce.etl.mapping.ReasonCode;

/** A record that could not be loaded, with where it came from and why. */
public record DeadLetter(String provider, String channel, String routeId, ReasonCode reason, String message,
        String payload) {
}
