package com.dce.etl.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The shipped config/mappings/trackdrive.yaml on TrackDrive-shaped records. */
class TrackDriveMappingTest {
    private static final RecordContext WEBHOOK =
            new RecordContext("webhook", OffsetDateTime.parse("2026-11-24T12:00:00Z"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CallMapping mapping = MappingFileParser.parse(Path.of("config/mappings/trackdrive.yaml"));

    private MappedCall map(String json) throws Exception {
        return mapping.map(JSON.readTree(json), json, WEBHOOK);
    }

    @Test
    void mapsAFullCall() throws Exception {
        MappedCall call = map("""
                {"id": 9001, "uuid": "CA5e1", "caller_number": "+13035551234", "number_called": "8885550100",
                 "connected_to": "(720) 555-0199", "caller_city": "Denver", "caller_state": "CO",
                 "caller_country": "US", "offer": "Auto Insurance", "offer_id": 77, "traffic_source": "Pub A",
                 "traffic_source_id": "12", "buyer": "Buyer B", "buyer_id": 5, "status": "finished",
                 "total_duration": "125", "created_at": "2026-11-20T10:00:00-05:00",
                 "ended_at": "2026-11-20T10:02:05-05:00", "updated_at": "2026-11-20T10:02:06-05:00",
                 "buyer_revenue": "12.50", "traffic_source_payout": 4, "buyer_converted": "Converted",
                 "traffic_source_converted": false, "recording_url": "https://rec/1.mp3",
                 "token_values": {"zip": "80202"}, "post_call_tokens": {"sale": "yes"}}
                """);
        assertThat(call.externalCallId()).isEqualTo("9001");
        assertThat(call.callUuid()).isEqualTo("CA5e1");
        assertThat(call.get(DceColumn.CALLER_PHONE)).isEqualTo("+13035551234");
        assertThat(call.get(DceColumn.TRACKING_NUMBER)).isEqualTo("+18885550100");
        assertThat(call.get(DceColumn.DESTINATION_NUMBER)).isEqualTo("+17205550199");
        assertThat(call.get(DceColumn.CAMPAIGN_ID)).isEqualTo("77");
        assertThat(call.get(DceColumn.CAMPAIGN_NAME)).isEqualTo("Auto Insurance");
        assertThat(call.get(DceColumn.PUBLISHER_NAME)).isEqualTo("Pub A");
        assertThat(call.get(DceColumn.BUYER_ID)).isEqualTo("5");
        assertThat(call.get(DceColumn.DIRECTION)).isEqualTo("inbound");
        assertThat(call.get(DceColumn.CALL_STATUS)).isEqualTo("completed");
        assertThat(call.get(DceColumn.PROVIDER_STATUS)).isEqualTo("finished");
        assertThat(call.get(DceColumn.CALL_DURATION)).isEqualTo(125);
        assertThat(call.get(DceColumn.CALL_START_TIME)).isEqualTo(OffsetDateTime.parse("2026-11-20T15:00:00Z"));
        assertThat(call.get(DceColumn.CALL_END_TIME)).isEqualTo(OffsetDateTime.parse("2026-11-20T15:02:05Z"));
        assertThat(call.get(DceColumn.CALL_VALUE)).isEqualTo(new BigDecimal("12.5000"));
        assertThat(call.get(DceColumn.PUBLISHER_PAYOUT)).isEqualTo(new BigDecimal("4.0000"));
        assertThat(call.get(DceColumn.IS_CONVERTED)).isEqualTo(true);
        assertThat(call.get(DceColumn.OFFER_CONVERTED)).isEqualTo(false);
        assertThat(call.get(DceColumn.CUSTOM_DATA))
                .isEqualTo("{\"token_values\":{\"zip\":\"80202\"},\"post_call_tokens\":{\"sale\":\"yes\"}}");
        assertThat(call.sourcePayload()).contains("\"id\": 9001");
    }

    @Test
    void emptyStringsAndNullsAreAbsentAndFallbacksApply() throws Exception {
        MappedCall call = map("""
                {"id": 1, "uuid": "", "caller_city": "", "buyer_revenue": null, "revenue": "7", "offer": null,
                 "status": "no-buyer-capped", "caller_number": "anonymous"}
                """);
        assertThat(call.callUuid()).isNull();
        assertThat(call.get(DceColumn.CALLER_CITY)).isNull();
        assertThat(call.get(DceColumn.CAMPAIGN_NAME)).isNull();
        assertThat(call.get(DceColumn.CALL_VALUE)).isEqualTo(new BigDecimal("7.0000"));
        assertThat(call.get(DceColumn.CALL_STATUS)).isEqualTo("rejected");
        assertThat(call.get(DceColumn.CALLER_PHONE)).isNull();
    }

    @Test
    void unwrapsWebhookEnvelopes() throws Exception {
        assertThat(map("{\"event\": \"call_ended\", \"call\": {\"id\": 5, \"status\": \"finished\"}}")
                .externalCallId()).isEqualTo("5");
        assertThat(map("{\"data\": {\"uuid\": \"U-1\", \"status\": \"forwarded\"}}").callUuid()).isEqualTo("U-1");
        assertThat(map("{\"id\": 6, \"data\": {\"id\": 7}}").externalCallId()).isEqualTo("6");
    }

    @Test
    void aRecordWithoutIdIsMissingId() {
        assertThatThrownBy(() -> map("{\"caller_number\": \"+13035551234\"}"))
                .isInstanceOf(RecordRejected.class)
                .satisfies(e -> assertThat(((RecordRejected) e).reason()).isEqualTo(ReasonCode.MISSING_ID));
    }

    @Test
    void aValueOfTheWrongKindIsAMappingErrorNamingTheColumn() {
        assertThatThrownBy(() -> map("{\"id\": 1, \"total_duration\": \"forever\"}"))
                .isInstanceOf(RecordRejected.class)
                .hasMessageContaining("call_duration (from total_duration)")
                .satisfies(e -> assertThat(((RecordRejected) e).reason()).isEqualTo(ReasonCode.MAPPING_ERROR));
        assertThatThrownBy(() -> map("[1, 2]")).hasMessageContaining("not a JSON object");
    }
}
