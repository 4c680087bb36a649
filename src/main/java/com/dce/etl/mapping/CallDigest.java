package com.dce.etl.mapping;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;

/**
 * A digest of what a record would write: its mapped (and enriched) values and its raw payload. Stored with the row as
 * {@code source_hash}; a record whose digest equals the row's is the one the row stands for (the newest merged into
 * it), and merging it again changes nothing (the merge rule is idempotent), so it is skipped without a statement.
 * Re-reads (a poll's lookback, a settle run, a backfill over loaded days) then cost a lookup per page instead of an
 * update per call. MD5 is enough: it tells records apart, it guards nothing.
 */
final class CallDigest {
    private static final HexFormat HEX = HexFormat.of();
    private static final DceColumn[] COLUMNS = DceColumn.values();
    // one digest per thread, reset by digest(): getInstance per record showed in profiles of re-loads
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    });

    private CallDigest() {
    }

    static String of(MappedCall call) {
        MessageDigest digest = MD5.get();
        update(digest, call.provider());
        for (DceColumn column : COLUMNS) {
            Object value = call.get(column);
            if (value != null) {
                // the column by position and the value's text: a JFR profile of a re-load found building
                // "name=Type:value" strings for this at 28% of the samples
                digest.update((byte) column.ordinal());
                if (value instanceof OffsetDateTime time) {
                    // the instant as two numbers: writing it as text was about 6% of mapping a re-read record (JFR)
                    update(digest, time.toEpochSecond(), time.getNano());
                } else {
                    update(digest, value.toString());
                }
            }
        }
        update(digest, call.sourcePayload() == null ? "" : call.sourcePayload());
        return HEX.formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, long seconds, int nanos) {
        digest.update(ByteBuffer.allocate(Long.BYTES + Integer.BYTES).putLong(seconds).putInt(nanos).array());
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        // a separator no value contains unescaped, so ("ab","c") and ("a","bc") differ
        digest.update((byte) 0);
    }
}
