package com.dce.etl.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.support.RunningService;

/**
 * A provider declaration with a mistake stops start-up with one line naming the file, the route, the parameter and
 * the reason, before Camel creates any route.
 */
class RoutesCheckTest {
    @TempDir
    Path dir;

    private static final String DECLARATION = """
            - templatedRoute:
                routeId: acme-calls-poll
                routeTemplateRef: poll-stream
                parameters:
                  - name: provider
                    value: acme
                  - name: stream
                    value: calls
                  - name: schedule
                    value: "0 0/5 * * * ?"
                  - name: path
                    value: /v1/calls
                  - name: auth
                    value: header value='Token {dce.acme.api-key}'
                  - name: pagination
                    value: offset page-size=100
                  - name: window
                    value: query from=since
                  - name: watermark
                    value: started_at
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "unknown pagination style | offset page-size=100 | cursr next=x"
                + " | acme-calls-poll: pagination: unknown pagination style 'cursr' (known: after-id, cursor, link-header,"
                + " offset, page-number)",
        "unknown style parameter | offset page-size=100 | offset pagesize=100"
                + " | acme-calls-poll: pagination: offset: unknown parameter 'pagesize' for style offset",
        "style parameter of the wrong kind | offset page-size=100 | offset page-size=lots"
                + " | acme-calls-poll: pagination: offset: page-size='lots' is not a whole number",
        "unknown parameter | name: pagination | name: pagenation"
                + " | acme-calls-poll: parameter 'pagenation' is not one of template poll-stream's",
        "bad window | query from=since | query to=until | acme-calls-poll: window: query: from= is required",
        "bad cron | \"0 0/5 * * * ?\" | \"0 0/5 * *\" | acme-calls-poll: schedule: '0 0/5 * *' is not a Quartz cron",
        "bad auth | header value='Token {dce.acme.api-key}' | header value=Token-12345"
                + " | acme-calls-poll: auth: header: value= names no setting in braces",
        "unknown template | routeTemplateRef: poll-stream | routeTemplateRef: pol-stream"
                + " | acme-calls-poll: routeTemplateRef: no route template 'pol-stream' (known: poll-stream,",
    })
    void aDeclarationWithAMistakeStopsStartUpNamingFileRouteAndParameter(String name, String good, String bad,
            String expected) throws Exception {
        Path file = dir.resolve("acme.camel.yaml");
        Files.writeString(file, DECLARATION.replace(good, bad));
        assertThatThrownBy(() -> RunningService.start(Map.of(
                "camel.main.routes-include-pattern", "file:routes/*.camel.yaml,file:" + file)))
                .hasStackTraceContaining(file + ": " + expected);
    }

    @Test
    void aFileThatIsNotYamlIsNamedWithLineAndColumn() throws Exception {
        Path file = dir.resolve("acme.camel.yaml");
        Files.writeString(file, DECLARATION.replace("value: acme", "value: [acme"));
        assertThatThrownBy(() -> RunningService.start(Map.of(
                "camel.main.routes-include-pattern", "file:routes/*.camel.yaml,file:" + file)))
                .hasStackTraceContaining(file + ", line 6, column 16");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "required parameter missing | window | acme-calls-poll: window: is required by template poll-stream",
        "watermark missing | watermark | acme-calls-poll: watermark: is required by template poll-stream",
    })
    void aMissingParameterIsNamed(String name, String parameter, String expected) throws Exception {
        Path file = dir.resolve("acme.camel.yaml");
        String text = DECLARATION.replaceAll("(?s)\\n      - name: " + parameter + "\\n        value: [^\\n]*", "");
        Files.writeString(file, text);
        assertThatThrownBy(() -> RunningService.start(Map.of(
                "camel.main.routes-include-pattern", "file:routes/*.camel.yaml,file:" + file)))
                .hasStackTraceContaining(file + ": " + expected);
    }
}
