package com.dce.etl.writeback;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One row of the write-back outbox {@code dce_call_updates}: the fields to set on a provider's call.
 *
 * @param callRef the call's id or uuid, as given
 * @param additive whether it carries {@code add_revenue} or {@code add_payout}, which add to the provider's value and
 *        so must not be sent twice
 * @param status {@code pending}, {@code sending}, {@code sent} or {@code dead}
 */
public record CallUpdate(long id, String provider, String callRef, ObjectNode fields, boolean additive, String status,
        int attempts, Integer responseStatus, String lastError, OffsetDateTime createdAt, OffsetDateTime sentAt) {

    public static final String PENDING = "pending";
    public static final String SENDING = "sending";
    public static final String SENT = "sent";
    public static final String DEAD = "dead";
}
