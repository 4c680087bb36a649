package com.dce.etl.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

import com.dce.etl.mapping.CallMapping;
import com.dce.etl.mapping.DceColumn;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.mapping.MappingFileParser;
import com.dce.etl.mapping.RecordContext;
import com.dce.etl.support.Fixtures;
import com.fasterxml.jackson.databind.ObjectMapper;

/** config/mappings/callrail.yaml on webhook payloads (other types, empty strings, legacy names) and API records. */
class CallRailMappingTest {
    private static final RecordContext WEBHOOK =
            new RecordContext("webhook", OffsetDateTime.parse("2026-11-24T12:00:00Z"));
    private static final RecordContext POLL = new RecordContext("poll", OffsetDateTime.parse("2026-11-24T12:05:00Z"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CallMapping mapping = MappingFileParser.parse(Path.of("config/mappings/callrail.yaml"));

    private MappedCall map(String json) throws Exception {
        return mapping.map(JSON.readTree(json), json, WEBHOOK);
    }

    @Test
    void documentedPostCallWebhook() throws Exception {
        MappedCall call = map(Fixtures.text("callrail/webhook-post-call.body"));
        assertThat(call.externalCallId()).isEqualTo("766970532");
        assertThat(call.get(DceColumn.CALLER_PHONE)).isEqualTo("+12148654559");
        assertThat(call.get(DceColumn.TRACKING_NUMBER)).isEqualTo("+14045558514");
        assertThat(call.get(DceColumn.DESTINATION_NUMBER)).as("empty string is null").isNull();
        assertThat(call.get(DceColumn.CAMPAIGN_ID)).isEqualTo("354024023");
        assertThat(call.get(DceColumn.CAMPAIGN_NAME)).isNull();
        assertThat(call.get(DceColumn.PUBLISHER_NAME)).isEqualTo("Google AdWords");
        assertThat(call.get(DceColumn.CALL_STATUS)).isEqualTo("voicemail");
        assertThat(call.get(DceColumn.PROVIDER_STATUS)).isEqualTo("voicemail");
        assertThat(call.get(DceColumn.CALL_DURATION)).isEqualTo(13);
        assertThat(call.get(DceColumn.CALL_START_TIME)).isEqualTo(OffsetDateTime.parse("2018-02-19T18:41:00.236Z"));
        assertThat(call.get(DceColumn.CALL_VALUE)).isNull();
        assertThat(call.get(DceColumn.CALL_TRANSCRIPT)).isNull();
        assertThat(call.get(DceColumn.CUSTOM_DATA)).isEqualTo("{\"lead_status\":\"previously_marked_good_lead\","
                + "\"customer_name\":\"Kaylah Mills\",\"company_id\":155920786,\"utm_source\":\"google\","
                + "\"utm_medium\":\"cpc\",\"utm_campaign\":\"Google AdWords\"}");
    }

    @Test
    void documentedApiPage() throws Exception {
        var page = JSON.readTree(Fixtures.text("callrail/calls-sample-page.json"));
        MappedCall first = mapping.map(page.get("calls").get(0), page.get("calls").get(0).toString(), POLL);
        assertThat(first.externalCallId()).isEqualTo("CAL8154748ae6bd4e278a7cddd38a662f4f");
        assertThat(first.get(DceColumn.CALL_STATUS)).as("no call_type: answered=false").isEqualTo("no_answer");
        assertThat(first.get(DceColumn.PROVIDER_STATUS)).isNull();
        assertThat(first.get(DceColumn.CALL_DURATION)).isEqualTo(4);
        assertThat(first.get(DceColumn.CALLER_CITY)).isEqualTo("Denver");
        assertThat(first.get(DceColumn.CALL_START_TIME)).isEqualTo(OffsetDateTime.parse("2017-01-24T16:27:48.119Z"));
        assertThat(first.get(DceColumn.DIRECTION)).isEqualTo("inbound");
    }

    @Test
    void preCallIsInProgressAndModifiedCarriesTheNewValues() throws Exception {
        MappedCall pre = map(Fixtures.text("callrail/webhook-pre-call.json"));
        assertThat(pre.externalCallId()).isEqualTo("CAL766970532aaaa");
        assertThat(pre.get(DceColumn.CALL_STATUS)).isEqualTo("in_progress");
        MappedCall modified = map(Fixtures.text("callrail/webhook-call-modified.json"));
        assertThat(modified.externalCallId()).isEqualTo("CAL766970532aaaa");
        assertThat(modified.get(DceColumn.CALL_VALUE)).isEqualTo(new BigDecimal("150.0000"));
        assertThat((String) modified.get(DceColumn.CUSTOM_DATA)).contains("\"tags\":[\"Sale\",\"Returning\"]")
                .contains("\"lead_status\":\"good_lead\"");
    }

    @Test
    void legacyWebhookNamesAreRead() throws Exception {
        MappedCall call = map("{\"id\": 5, \"callernum\": \"2148654559\", \"trackingnum\": \"+14045558514\","
                + " \"datetime\": \"2018-02-19 18:41:00\", \"callercity\": \"Erie\", \"duration\": \"7\","
                + " \"answered\": true}");
        assertThat(call.get(DceColumn.CALLER_PHONE)).isEqualTo("+12148654559");
        assertThat(call.get(DceColumn.TRACKING_NUMBER)).isEqualTo("+14045558514");
        assertThat(call.get(DceColumn.CALL_START_TIME)).isEqualTo(OffsetDateTime.parse("2018-02-19T18:41:00Z"));
        assertThat(call.get(DceColumn.CALLER_CITY)).isEqualTo("Erie");
        assertThat(call.get(DceColumn.CALL_STATUS)).isEqualTo("completed");
    }

    @Test
    void webhooksAreOrderedByStartOrArrivalAndPollsCarryNoTime() throws Exception {
        assertThat(map(Fixtures.text("callrail/webhook-post-call-with-resource-id.json"))
                .get(DceColumn.SOURCE_UPDATED_AT)).as("post-call: the call as it was at its start")
                .isEqualTo(OffsetDateTime.parse("2018-02-19T18:41:00.236Z"));
        assertThat(map(Fixtures.text("callrail/webhook-call-modified.json")).get(DceColumn.SOURCE_UPDATED_AT))
                .as("call modified: the call as it was when the edit arrived").isEqualTo(WEBHOOK.receivedAt());
        String record = Fixtures.text("callrail/webhook-call-modified.json");
        assertThat(mapping.map(JSON.readTree(record), record, POLL).get(DceColumn.SOURCE_UPDATED_AT))
                .as("a poll reads the call as it is now: its values replace").isNull();
    }
}
