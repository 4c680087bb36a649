package com.dce.etl.mapping;

import java.time.OffsetDateTime;

/**
 * What the pipeline knows about a record beside its fields, readable in mapping files as {@code $channel} (webhook,
 * poll, backfill, settle, replay) and {@code $received_at} (when the service received it). A provider whose records
 * carry no "last changed" time orders its deliveries with these.
 */
public record RecordContext(String channel, OffsetDateTime receivedAt) {
}
