package com.dce.etl.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The digest a call is skipped by when it arrives again unchanged: remembered once taken (mapping takes it ahead), but
 * never stale, since enrichment and key resolution change calls after mapping.
 */
class MappedCallDigestTest {
    private static MappedCall call(String id, String campaign) {
        return new MappedCall("trackdrive", campaign == null
                ? Map.of(DceColumn.EXTERNAL_CALL_ID, id, DceColumn.CALL_VALUE, new BigDecimal("1.50"))
                : Map.of(DceColumn.EXTERNAL_CALL_ID, id, DceColumn.CALL_VALUE, new BigDecimal("1.50"),
                        DceColumn.CAMPAIGN_NAME, campaign), "{\"id\":\"" + id + "\"}");
    }

    @Test
    void theSameContentHasTheSameDigestAndAnyDifferenceAnother() {
        assertThat(call("a", null).digest()).isEqualTo(call("a", null).digest()).hasSize(32);
        assertThat(call("a", null).digest()).isNotEqualTo(call("a", "Solar").digest());
        MappedCall otherPayload = new MappedCall("trackdrive", Map.of(DceColumn.EXTERNAL_CALL_ID, "a",
                DceColumn.CALL_VALUE, new BigDecimal("1.50")), "{\"id\":\"a\",\"x\":1}");
        assertThat(otherPayload.digest()).isNotEqualTo(call("a", null).digest());
    }

    @Test
    void timesDifferByTheirInstantDownToTheNanosecond() {
        OffsetDateTime start = OffsetDateTime.parse("2026-03-01T10:15:30.123456789Z");
        MappedCall call = call("a", null);
        call.set(DceColumn.CALL_START_TIME, start);
        MappedCall sameInstant = call("a", null);
        sameInstant.set(DceColumn.CALL_START_TIME, start.withOffsetSameInstant(ZoneOffset.ofHours(-5)));
        MappedCall nanoLater = call("a", null);
        nanoLater.set(DceColumn.CALL_START_TIME, start.plusNanos(1));
        MappedCall asEndTime = call("a", null);
        asEndTime.set(DceColumn.CALL_END_TIME, start);
        assertThat(call.digest()).isEqualTo(sameInstant.digest()).isNotEqualTo(nanoLater.digest())
                .isNotEqualTo(asEndTime.digest()).isNotEqualTo(call("a", null).digest());
    }

    @Test
    void aValueSetAfterTheDigestWasTakenChangesIt() {
        MappedCall enriched = call("a", null);
        String mapped = enriched.digest();
        enriched.set(DceColumn.CAMPAIGN_NAME, "Solar");
        assertThat(enriched.digest()).isNotEqualTo(mapped).isEqualTo(call("a", "Solar").digest());
        enriched.set(DceColumn.CAMPAIGN_NAME, null);
        assertThat(enriched.digest()).isEqualTo(mapped);
    }

    @Test
    void aCopyUnderAnotherIdHasItsOwnDigestAndLeavesTheOriginalAlone() {
        MappedCall original = call("a", null);
        String before = original.digest();
        MappedCall copy = original.withExternalCallId("b");
        assertThat(copy.digest()).isNotEqualTo(before);
        assertThat(original.digest()).isEqualTo(before);
    }
}
