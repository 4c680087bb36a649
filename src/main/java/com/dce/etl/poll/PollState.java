package com.dce.etl.poll;

import java.time.OffsetDateTime;

/** A row of {@code dce_poll_state}. */
public record PollState(String provider, String stream, OffsetDateTime watermark, OffsetDateTime lastSuccessAt,
        String lastError, long rowsLoaded) {
}
