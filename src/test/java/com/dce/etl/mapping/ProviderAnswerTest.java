package com.dce.etl.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A list answer read once: the same tree {@link ProviderJson#read} builds from it, and each record's text exactly as
 * the provider sent it, whatever its spacing, escapes and characters.
 */
class ProviderAnswerTest {
    private static final SourcePath CALLS = SourcePath.parse("data.calls");

    private static ProviderAnswer answer(String text, SourcePath records) throws JsonProcessingException {
        ProviderAnswer answer = ProviderJson.readAnswer(text, records);
        assertThat(answer.body()).as("the same tree as a plain read").isEqualTo(ProviderJson.read(text));
        return answer;
    }

    @Test
    void eachRecordIsCutFromTheAnswerAsSent() throws Exception {
        String first = "{\"id\": 1, \"name\" : \"Zoë 📞 \\u00e9 \\\"q\\\" \\\\\", \"tags\": [1, {\"x\": []}]}";
        String second = "{\n    \"id\":2,\"value\":12.50,\n    \"nested\":{\"calls\":[9]}\n  }";
        String text = "{\"meta\": {\"next\": \"c2\"}, \"data\": {\"total\": 2,\n \"calls\": [ " + first + " ,\n  "
                + second + "\n], \"after\": [3]}, \"tail\": null}";

        ProviderAnswer answer = answer(text, CALLS);

        assertThat(answer.recordTexts()).containsExactly(first, second);
        for (int i = 0; i < 2; i++) {
            assertThat(ProviderJson.read(answer.recordTexts().get(i))).isEqualTo(answer.body().at("/data/calls/" + i));
        }
        assertThat(answer.body().at("/data/calls/1/value").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(answer.body().at("/data/calls/0/name").asText()).isEqualTo("Zoë 📞 é \"q\" \\");
        assertThat(answer.body().at("/meta/next").asText()).isEqualTo("c2");
    }

    @Test
    void anAnswerThatIsTheArrayItselfAndOneWithAByteOrderMark() throws Exception {
        assertThat(answer("[{\"id\":1}, {\"id\" : 2}]", null).recordTexts())
                .containsExactly("{\"id\":1}", "{\"id\" : 2}");
        assertThat(answer("\uFEFF {\"data\":{\"calls\":[{\"id\":1}]}}", CALLS).recordTexts())
                .containsExactly("{\"id\":1}");
    }

    @Test
    void elementsThatAreNotObjectsAreCutWholeToo() throws Exception {
        assertThat(answer("[12.5, \"x\", null, true, [1,2] ,{}]", null).recordTexts())
                .containsExactly("12.5", "\"x\"", "null", "true", "[1,2]", "{}");
        assertThat(answer("{\"data\":{\"calls\":[]}}", CALLS).recordTexts()).isEmpty();
    }

    @Test
    void aRepeatedNameKeepsTheLastValueAndItsTexts() throws Exception {
        ProviderAnswer answer = answer(
                "{\"data\":{\"calls\":[{\"id\":1}]},\"data\":{\"calls\":[{\"id\":2},{\"id\":3}]}}", CALLS);
        assertThat(answer.recordTexts()).containsExactly("{\"id\":2}", "{\"id\":3}");
        answer = answer("{\"data\":{\"calls\":[{\"id\":1}],\"calls\":[{\"id\":4}]}}", CALLS);
        assertThat(answer.recordTexts()).containsExactly("{\"id\":4}");
    }

    @Test
    void noArrayAtThePathLeavesNoTexts() throws Exception {
        assertThat(answer("{\"data\":{\"calls\":{\"id\":1}}}", CALLS).recordTexts()).isEmpty();
        assertThat(answer("{\"data\":[{\"calls\":[1]}]}", CALLS).recordTexts()).isEmpty();
        assertThat(answer("{\"other\":[1]}", CALLS).recordTexts()).isEmpty();
        assertThat(answer("[1]", CALLS).recordTexts()).isEmpty();
        assertThat(answer("  ", CALLS).body().isMissingNode()).isTrue();
    }

    @Test
    void whatAPlainReadRefusesIsRefused() {
        for (String bad : new String[] {"{\"data\":{\"calls\":[{\"id\":1}]}} {}", "{\"data\":{\"calls\":[{\"id\":1}]}",
                "{\"data\":{\"calls\":[{\"id\":1e-2147483648}]}}", "{\"data\":{\"calls\":[{\"id\":1},]}}", "[1] 2"}) {
            assertThatThrownBy(() -> ProviderJson.read(bad)).as(bad).isInstanceOf(JsonProcessingException.class);
            assertThatThrownBy(() -> ProviderJson.readAnswer(bad, CALLS)).as(bad)
                    .isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void recordsDeeperInTheTreeKeepTheirDecimalsExact() throws Exception {
        JsonNode body = answer("{\"data\":{\"calls\":[{\"v\":0.10}]},\"sum\":1.000000000000000000001}", CALLS).body();
        assertThat(body.get("sum").decimalValue()).isEqualTo(new BigDecimal("1.000000000000000000001"));
    }
}
