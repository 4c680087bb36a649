package com.dce.etl.inbox;

/** A stored webhook request waiting to be loaded. */
public record InboxEntry(long id, String provider, String channel, String routeId, String payload, int attempts) {
}
