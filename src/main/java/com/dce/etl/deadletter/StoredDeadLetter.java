package com.dce.etl.deadletter;

import java.time.OffsetDateTime;

/** A row of {@code dce_dead_letters}. */
public record StoredDeadLetter(long id, String provider, String channel, String routeId, String reasonCode,
        String errorMessage, String payload, int attempts, String status, OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {
}
