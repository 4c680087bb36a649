package com.dce.etl.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MappingFileParserTest {
    private static final RecordContext WEBHOOK =
            new RecordContext("webhook", OffsetDateTime.parse("2026-11-24T12:00:00Z"));

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // yaml body after "provider: acme\n" | key named in the error | reason fragment
        "columns: {external_call_id: id, caller_phone: {from: n, transform: e164x}}"
                + "| columns.caller_phone.transform | unknown transform 'e164x'",
        "columns: {external_call_id: id, caller_fone: n} | columns.caller_fone | unknown DCE column",
        "columns: {external_call_id: id, call_duration: {from: d, transform: text}}"
                + "| columns.call_duration.transform | transform text produces text but call_duration holds integer",
        "columns: {external_call_id: id, caller_phone: {from: n, regoin: US}}"
                + "| columns.caller_phone.regoin | unknown option for transform phone",
        "columns: {external_call_id: id, caller_phone: {from: n, region: XX}}"
                + "| columns.caller_phone.region | unknown region 'XX'",
        "columns: {external_call_id: id, direction: {from: d, value: inbound}}"
                + "| columns.direction | needs either 'from' (source fields) and/or 'cases', or 'value'",
        "columns: {external_call_id: id, direction: {cases: [{when: {a: 1}}]}}"
                + "| columns.direction.cases[0] | must be {when:",
        "columns: {external_call_id: id, is_converted: {cases: [{when: {lead: good}, value: maybe}]}}"
                + "| columns.is_converted.cases[0].value | as a boolean",
        "columns: {external_call_id: id, call_status: s} | columns.call_status | no statuses table",
        "columns: {external_call_id: id, call_status: s}\\nstatuses: {done: finished}"
                + "| statuses.done | 'finished' is not a DCE status",
        "columns: {caller_city: c} | columns | must map external_call_id or call_uuid",
        "columns: {external_call_id: id}\\nfilter: x | filter | unknown key",
        "columns: {external_call_id: id, call_start_time: {from: t, zone: Mars/Olympus}}"
                + "| columns.call_start_time.zone | unknown time zone",
        "columns: {external_call_id: id, is_converted: {value: maybe}} | columns.is_converted.value | as a boolean",
        "columns: {external_call_id: id, source_updated_at: $arrived} | columns.source_updated_at"
                + "| unknown pipeline field '$arrived' (known: $channel, $received_at)",
        "columns: {external_call_id: id, direction: {cases: [{when: {$chanel: webhook}, value: inbound}]}}"
                + "| columns.direction.cases[0].when | unknown pipeline field '$chanel'",
        "columns: {external_call_id: id, direction: {cases: [{when: {a: 1}, value: inbound, from: b}]}}"
                + "| columns.direction.cases[0] | must be {when:",
    })
    void badFilesNameFileKeyAndReason(String body, String key, String reason) throws Exception {
        Path file = write("acme.yaml", "provider: acme\n" + body.replace("\\n", "\n"));
        assertThatThrownBy(() -> MappingFileParser.parse(file))
                .isInstanceOf(MappingFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(key + ":")
                .hasMessageContaining(reason);
    }

    @Test
    void aCaseMayTakeItsValueFromFieldsIncludingThePipelinesOwn() throws Exception {
        Path file = write("acme.yaml", """
                provider: acme
                columns:
                  external_call_id: id
                  source_updated_at:
                    cases:
                      - {when: {$channel: webhook, changes: null}, from: [started, begun]}
                      - {when: {$channel: webhook}, from: $received_at}
                """);
        CallMapping mapping = MappingFileParser.parse(file);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String early = "{\"id\": 1, \"begun\": \"2026-11-24T09:00:00Z\"}";
        String edit = "{\"id\": 1, \"changes\": [\"tags\"]}";
        assertThat(mapping.map(json.readTree(early), early, WEBHOOK).get(DceColumn.SOURCE_UPDATED_AT))
                .isEqualTo(OffsetDateTime.parse("2026-11-24T09:00:00Z"));
        assertThat(mapping.map(json.readTree(edit), edit, WEBHOOK).get(DceColumn.SOURCE_UPDATED_AT))
                .isEqualTo(WEBHOOK.receivedAt());
        assertThat(mapping.map(json.readTree(edit), edit, new RecordContext("poll", WEBHOOK.receivedAt()))
                .get(DceColumn.SOURCE_UPDATED_AT)).as("no case holds and there is no from").isNull();
    }

    @Test
    void casesComeFirstThenTheSourceFields() throws Exception {
        Path file = write("acme.yaml", """
                provider: acme
                columns:
                  external_call_id: id
                  call_status:
                    cases:
                      - {when: {call_type: outbound, answered: true}, value: answered}
                      - {when: {call_type: outbound}, value: missed}
                      - {when: {call_type: null, voicemail: true}, value: voicemail}
                      - {when: {call_type: null, answered: true}, value: answered}
                      - {when: {call_type: null, answered: false}, value: missed}
                    from: call_type
                statuses: {answered: completed, missed: no_answer, voicemail: voicemail, abandoned: abandoned}
                """);
        CallMapping mapping = MappingFileParser.parse(file);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.function.Function<String, Object> status = record -> {
            try {
                return mapping.map(json.readTree(record), record, WEBHOOK).get(DceColumn.CALL_STATUS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        assertThat(status.apply("{\"id\":1,\"call_type\":\"abandoned\",\"answered\":false}")).isEqualTo("abandoned");
        assertThat(status.apply("{\"id\":1,\"call_type\":\"outbound\",\"answered\":true}")).isEqualTo("completed");
        assertThat(status.apply("{\"id\":1,\"call_type\":\"outbound\",\"answered\":false}")).isEqualTo("no_answer");
        assertThat(status.apply("{\"id\":1,\"call_type\":\"\",\"answered\":true,\"voicemail\":false}"))
                .isEqualTo("completed");
        assertThat(status.apply("{\"id\":1,\"answered\":false,\"voicemail\":true}")).isEqualTo("voicemail");
        assertThat(status.apply("{\"id\":1,\"answered\":false}")).isEqualTo("no_answer");
        assertThat(status.apply("{\"id\":1}")).isNull();
    }

    @Test
    void providerMustMatchFileName() throws Exception {
        Path file = write("acme.yaml", "provider: other\ncolumns: {external_call_id: id}\n");
        assertThatThrownBy(() -> MappingFileParser.parse(file)).hasMessageContaining("provider: is 'other'");
    }

    @Test
    void yamlSyntaxErrorsAreReported() throws Exception {
        Path file = write("acme.yaml", "provider: acme\ncolumns: {external_call_id: id\n  call_uuid: [uuid\n");
        assertThatThrownBy(() -> MappingFileParser.parse(file)).hasMessageEndingWith("cannot be read as YAML: line 3,"
                + " column 12: expected ',' or '}', but got : (while parsing a flow mapping that starts at line 2,"
                + " column 10)");
    }

    @Test
    void catalogRefusesToStartWithABadFile() throws Exception {
        write("good.yaml", "provider: good\ncolumns: {external_call_id: id}\n");
        write("bad.yaml", "provider: bad\ncolumns: {external_call_id: {from: id, transform: nope}}\n");
        assertThatThrownBy(() -> MappingCatalog.load(dir)).hasMessageContaining("bad.yaml")
                .hasMessageContaining("unknown transform 'nope'");
    }

    @Test
    void catalogPicksUpAnEditAndKeepsTheOldMappingWhenTheEditIsBroken() throws Exception {
        Path file = write("acme.yaml", "provider: acme\ncolumns: {external_call_id: id}\n");
        MappingCatalog catalog = MappingCatalog.load(dir);
        var record = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"id\":1,\"city\":\"Lyon\"}");
        assertThat(catalog.forProvider("acme").map(record, "{}", WEBHOOK).get(DceColumn.CALLER_CITY)).isNull();

        Files.writeString(file, "provider: acme\ncolumns: {external_call_id: id, caller_city: city}\n");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(catalog.forProvider("acme").map(record, "{}", WEBHOOK).get(DceColumn.CALLER_CITY)).isEqualTo("Lyon");

        Files.writeString(file, "provider: acme\ncolumns: {caller_city: [\n");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 9000));
        assertThat(catalog.forProvider("acme").map(record, "{}", WEBHOOK).get(DceColumn.CALLER_CITY)).isEqualTo("Lyon");
    }
}
