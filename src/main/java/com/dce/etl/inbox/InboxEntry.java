package com.dce.etl.inbox;


import java.time.OffsetDateTime;

/** A stored webhook request waiting to be loaded. */
public record InboxEntry(long id, String provider, String channel, String routeId, String payload,
        OffsetDateTime receivedAt, int attempts) {
}
