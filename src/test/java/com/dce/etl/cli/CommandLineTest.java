package com.dce.etl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.support.CommandRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code dce-etl --help}, {@code validate} and {@code map} as their own processes, output and exit codes. */
class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void helpListsEveryCommand() throws Exception {
        CommandRun help = CommandRun.of(Map.of(), "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: dce-etl").contains("validate").contains("map").contains("backfill")
                .contains("Exit 0: stopped; 1: failed while");
        assertThat(CommandRun.of(Map.of(), "map", "--help").out()).contains("--provider").contains("FILE");
    }

    @Test
    void validateChecksWithoutStarting() throws Exception {
        CommandRun good = CommandRun.of(Map.of("DCE_DB_URL", "jdbc:postgresql://127.0.0.1:1/unreachable"),
                "validate");
        assertThat(good.exitCode()).as(good.out() + good.err()).isZero();
        assertThat(good.out()).isEqualTo("dce-etl validate: settings, mapping files and routes files are fine\n");

        CommandRun cron = CommandRun.of(Map.of("DCE_TRACKDRIVE_POLL_CRON", "0 0/5 * *"), "validate");
        assertThat(cron.exitCode()).isEqualTo(2);
        assertThat(cron.err()).isEqualTo("dce-etl validate: routes/trackdrive.camel.yaml: trackdrive-calls-poll:"
                + " schedule: '0 0/5 * *' is not a Quartz cron expression: Unexpected end of expression. (set by"
                + " dce.trackdrive.poll-cron)\n");
        assertThat(cron.out()).isEmpty();

        Path mappings = Files.createDirectories(dir.resolve("mappings"));
        Files.writeString(mappings.resolve("trackdrive.yaml"), "provider: trackdrive\ncolumns: {external_call_id: [\n");
        CommandRun yaml = CommandRun.of(Map.of("DCE_MAPPINGS_DIR", mappings.toString()), "validate");
        assertThat(yaml.exitCode()).isEqualTo(2);
        assertThat(yaml.err()).contains("trackdrive.yaml: cannot be read as YAML: line 3, column 1:");

        assertThat(CommandRun.of(Map.of("DCE_INBOX_WORKERS", "two"), "validate").err())
                .isEqualTo("dce-etl validate: dce.inbox.workers: 'two' is not a whole number\n");
    }

    @Test
    void mapPrintsTheRowOrTheReason() throws Exception {
        Path record = dir.resolve("call.json");
        Files.writeString(record, "{\"id\": 7, \"uuid\": \"CA-7\", \"status\": \"finished\","
                + " \"buyer_revenue\": \"2.5\", \"caller_number\": \"(303) 555-0101\","
                + " \"created_at\": \"2026-11-20T10:00:00-05:00\"}");
        CommandRun mapped = CommandRun.of(Map.of(), "map", "--provider", "trackdrive", record.toString());
        assertThat(mapped.exitCode()).as(mapped.err()).isZero();
        JsonNode row = new ObjectMapper().readTree(mapped.out());
        assertThat(row.get("external_call_id").asText()).isEqualTo("7");
        assertThat(row.get("caller_phone").asText()).isEqualTo("+13035550101");
        assertThat(row.get("call_status").asText()).isEqualTo("completed");
        assertThat(row.get("call_value").decimalValue()).isEqualByComparingTo("2.5");
        assertThat(row.get("call_start_time").asText()).isEqualTo("2026-11-20T15:00:00Z");

        Files.writeString(record, "{\"id\": 7, \"total_duration\": \"forever\"}");
        CommandRun rejected = CommandRun.of(Map.of(), "map", "--provider", "trackdrive", record.toString());
        assertThat(rejected.exitCode()).isEqualTo(1);
        assertThat(rejected.out()).isEqualTo("rejected MAPPING_ERROR: call_duration (from total_duration): cannot"
                + " read 'forever' as seconds\n");

        assertThat(CommandRun.of(Map.of(), "map", "--provider", "nobody", record.toString()).exitCode()).isEqualTo(2);
        CommandRun missing = CommandRun.of(Map.of(), "map", "--provider", "trackdrive", dir.resolve("no.json")
                .toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).endsWith("no.json: no such file\n");
    }
}
