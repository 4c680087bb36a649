package com.dce.etl.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.dce.etl.mapping.transform.BooleanTransform;
import com.dce.etl.mapping.transform.DecimalTransform;
import com.dce.etl.mapping.transform.IdTransform;
import com.dce.etl.mapping.transform.JsonObjectTransform;
import com.dce.etl.mapping.transform.PhoneTransform;
import com.dce.etl.mapping.transform.SecondsTransform;
import com.dce.etl.mapping.transform.StatusTransform;
import com.dce.etl.mapping.transform.TextTransform;
import com.dce.etl.mapping.transform.TimestampTransform;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class TransformsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'\"+13035551234\"'   | +13035551234",
        "'\"3035551234\"'     | +13035551234",
        "'\"(303) 555-1234\"' | +13035551234",
        "'\"13035551234\"'    | +13035551234",
        "'13035551234'       | +13035551234",
        "'\"+442079460958\"'  | +442079460958",
        "'\"+61 2 9374 4000\"'| +61293744000",
    })
    void phoneBecomesE164(String input, String expected) throws Exception {
        assertThat(new PhoneTransform("US").apply(json(input))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"anonymous\"", "\"266696687\"", "\"12\"", "\"+1 555\"", "\"not a phone\"", "\"0000000000\""})
    void junkPhoneBecomesNull(String input) throws Exception {
        assertThat(new PhoneTransform("US").apply(json(input))).isNull();
    }

    @Test
    void phoneRegionReadsNationalNumbers() throws Exception {
        assertThat(new PhoneTransform("GB").apply(json("\"020 7946 0958\""))).isEqualTo("+442079460958");
    }

    @Test
    void phoneRefusesObjects() {
        assertThatThrownBy(() -> new PhoneTransform("US").apply(json("{\"n\":1}")))
                .isInstanceOf(ValueRejected.class).hasMessageContaining("an object");
    }

    @Test
    void unknownRegionIsAConfigurationError() {
        assertThatThrownBy(() -> new PhoneTransform("XX")).hasMessageContaining("unknown region 'XX'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-11-20T10:00:00-05:00        | 2026-11-20T15:00:00Z",
        "2026-11-20T15:00:00Z             | 2026-11-20T15:00:00Z",
        "2026-11-20T15:00:00.123Z         | 2026-11-20T15:00:00.123Z",
        "2024-11-04T16:52:18.034Z         | 2024-11-04T16:52:18.034Z",
        "2017-01-24T11:27:48.119-05:00    | 2017-01-24T16:27:48.119Z",
        "2016-01-01 12:25:15 -0500        | 2016-01-01T17:25:15Z",
        "2016-01-01 12:25:15 +05:30       | 2016-01-01T06:55:15Z",
        "2018-02-19 18:41:00              | 2018-02-19T18:41:00Z",
        "2018-02-19T18:41:00              | 2018-02-19T18:41:00Z",
        "2018-02-19 18:41:00 UTC          | 2018-02-19T18:41:00Z",
    })
    void timestampsBecomeUtc(String input, String expected) throws Exception {
        Object value = new TimestampTransform(ZoneOffset.UTC).apply(json("\"" + input + "\""));
        assertThat(value).isEqualTo(OffsetDateTime.parse(expected).withOffsetSameInstant(ZoneOffset.UTC));
    }

    @Test
    void timestampWithoutOffsetUsesConfiguredZone() throws Exception {
        Object value = new TimestampTransform(ZoneId.of("America/New_York")).apply(json("\"2026-07-01 12:00:00\""));
        assertThat(value).isEqualTo(OffsetDateTime.parse("2026-07-01T16:00:00Z"));
    }

    @Test
    void epochSecondsAndMillis() throws Exception {
        TimestampTransform transform = new TimestampTransform(ZoneOffset.UTC);
        assertThat(transform.apply(json("1700000000"))).isEqualTo(OffsetDateTime.parse("2023-11-14T22:13:20Z"));
        assertThat(transform.apply(json("1700000000123"))).isEqualTo(OffsetDateTime.parse("2023-11-14T22:13:20.123Z"));
        // as URL tokens carry them: text
        assertThat(transform.apply(json("\"1700000000123\"")))
                .isEqualTo(OffsetDateTime.parse("2023-11-14T22:13:20.123Z"));
        assertThatThrownBy(() -> transform.apply(json("\"1234567890123456\""))).isInstanceOf(ValueRejected.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"yesterday\"", "\"2026-13-45T00:00:00Z\"", "\"99999-01-01T00:00:00Z\"",
        "\"1900-01-01T00:00:00Z\"", "true", "[1]", "1e300"})
    void badTimestampsAreRejected(String input) {
        assertThatThrownBy(() -> new TimestampTransform(ZoneOffset.UTC).apply(json(input)))
                .isInstanceOf(ValueRejected.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'\"12.50\"'   | 12.5000",
        "12.5          | 12.5000",
        "12            | 12.0000",
        "'\"$1,234.5\"'| 1234.5000",
        "'\"0.00005\"' | 0.0001",
        "'\"-3.25\"'   | -3.2500",
        "'\"1,234,567.5\"' | 1234567.5000",
        "'\"-$12.5\"'  | -12.5000",
        "9999999999.99994 | 9999999999.9999",
    })
    void decimals(String input, String expected) throws Exception {
        assertThat(new DecimalTransform().apply(json(input))).isEqualTo(new BigDecimal(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc\"", "\"12,50 EUR\"", "true", "{}", "1e20", "\"99999999999\"",
        // a decimal comma is ambiguous (12.50 or 1,250), never read as 1250
        "\"12,50\"", "\"1,2345\"", "\"1,23.5\"", "\",5\"", "\"$\"", "\"-\"",
        // fits before rounding, not after: a mapping error, not a database error
        "9999999999.99995", "\"-9999999999.99995\""})
    void badDecimalsAreRejected(String input) {
        assertThatThrownBy(() -> new DecimalTransform().apply(json(input))).isInstanceOf(ValueRejected.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "true | true", "false | false", "1 | true", "0 | false", "'\"Converted\"' | true", "'\"yes\"' | true",
        "'\"No\"' | false", "'\"Not Converted\"' | false", "'\"TRUE\"' | true", "'\"0\"' | false",
    })
    void booleans(String input, boolean expected) throws Exception {
        assertThat(new BooleanTransform().apply(json(input))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"maybe\"", "2", "{}", "1.5"})
    void badBooleansAreRejected(String input) {
        assertThatThrownBy(() -> new BooleanTransform().apply(json(input))).isInstanceOf(ValueRejected.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"13 | 13", "'\"13\"' | 13", "13.6 | 14", "'\"0\"' | 0"})
    void seconds(String input, int expected) throws Exception {
        assertThat(new SecondsTransform().apply(json(input))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"13s\"", "-1", "1e12", "\"abc\"", "[]"})
    void badSecondsAreRejected(String input) {
        assertThatThrownBy(() -> new SecondsTransform().apply(json(input))).isInstanceOf(ValueRejected.class);
    }

    /** Read as the service reads provider JSON: decimals exact, so 1e-100000000 is not quietly a double 0. */
    private static JsonNode providerJson(String text) throws Exception {
        return ProviderJson.read(text);
    }

    static Stream<String> absurdNumbers() {
        return Stream.of("1e-100000000", "-1e-99999999", "1e2100000000", "\"1e-100000000\"", "\"1e2100000000\"",
                "1" + "0".repeat(999), "0." + "0".repeat(990) + "1");
    }

    @ParameterizedTest
    @MethodSource("absurdNumbers")
    void numbersOfAbsurdSizeAreRefusedWithAShortMessage(String input) throws Exception {
        JsonNode value = providerJson(input);
        for (FieldTransform transform : new FieldTransform[] {new DecimalTransform(), new SecondsTransform(),
            new TimestampTransform(ZoneOffset.UTC), new IdTransform()}) {
            if ((transform instanceof TimestampTransform || transform instanceof IdTransform) && value.isTextual()
                    || transform instanceof IdTransform && input.startsWith("0.")) {
                continue; // text is a date or an id as sent; an id of 1000 characters is refused for its length
            }
            assertThatThrownBy(() -> transform.apply(value)).as(transform + " " + input.length())
                    .isInstanceOf(ValueRejected.class)
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"100 | 100", "100.00 | 100", "1e2 | 100", "1E+2 | 100", "'\"100\"' | 100",
        "'\" x-7 \"' | x-7", "12.5 | 12.5", "'\"Zürich-1\"' | Zürich-1"})
    void idsHaveOneTextForm(String input, String expected) throws Exception {
        assertThat(new IdTransform().apply(providerJson(input))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"a\u200Bb\"", "\"\u202Eabc\"", "\"abc\u2066\"", "\"a\\u0007b\"", "\"a\\u0000\"",
        "\"\uFEFFabc\"", "\"a\u00ADb\"", "true", "{}", "[1]", "1e400"})
    void idsWithInvisibleCharactersOrNotScalarAreRefused(String input) {
        assertThatThrownBy(() -> new IdTransform().apply(providerJson(input))).isInstanceOf(ValueRejected.class);
    }

    @Test
    void textTrimsAndStringifiesScalars() throws Exception {
        assertThat(new TextTransform().apply(json("\"  Denver \""))).isEqualTo("Denver");
        assertThat(new TextTransform().apply(json("766970532"))).isEqualTo("766970532");
        assertThatThrownBy(() -> new TextTransform().apply(json("[\"a\"]"))).isInstanceOf(ValueRejected.class);
    }

    @Test
    void statusTableWithPrefixesAndUnknownWords() throws Exception {
        Map<String, String> table = new LinkedHashMap<>();
        table.put("finished", "completed");
        table.put("no-buyer*", "rejected");
        table.put("no-*", "no_answer");
        StatusTransform status = new StatusTransform("trackdrive", table);
        assertThat(status.apply(json("\"Finished\""))).isEqualTo("completed");
        assertThat(status.apply(json("\"no-buyer-capped\""))).isEqualTo("rejected");
        assertThat(status.apply(json("\"no-answer\""))).isEqualTo("no_answer");
        assertThat(status.apply(json("\"teleported\""))).isEqualTo("unknown");
    }

    @Test
    void jsonObjectCollectsSourcesAndSplitsMultiValues() throws Exception {
        JsonNode collected = json("{\"tags\":{\"geo\":\"301,us,us-nc\",\"status\":\"success\"},"
                + "\"charge_total\":\"0.08,1\"}");
        assertThat(new JsonObjectTransform(",").apply(collected)).isEqualTo(
                "{\"tags\":{\"geo\":[\"301\",\"us\",\"us-nc\"],\"status\":[\"success\"]},\"charge_total\":\"0.08,1\"}");
        assertThat(new JsonObjectTransform(null).apply(json("{\"token_values\":{\"a\":\"1\"}}")))
                .isEqualTo("{\"token_values\":{\"a\":\"1\"}}");
    }
}
