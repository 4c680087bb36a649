package com.dce.etl.poll;

import java.time.OffsetDateTime;

/** A poll page's claim on its stream's watermark, committed in the same transaction as the page's rows. */
public record WatermarkAdvance(String provider, String stream, OffsetDateTime watermark) {
}
