package com.dce.etl.tracking;

import java.time.OffsetDateTime;

/** One tracking number of a provider's tracker (a session tracker has a pool of them): a dce_tracking_numbers row. */
public record TrackingNumber(String provider, String trackerId, String number, String trackerName, String trackerType,
        String status, String sourceName, String destinationNumber, String companyId, OffsetDateTime createdAt) {
}
