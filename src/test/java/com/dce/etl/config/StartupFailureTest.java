package com.dce.etl.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.support.CommandRun;
import com.dce.etl.support.RunningService;
import com.dce.etl.support.TestDatabases;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code java -jar dce-etl.jar} with a configuration or environment mistake, as a user meets it: exit 2 and one line
 * on stderr naming the key or file and the reason; no stack trace and no shutdown "triggered by SIGTERM" in the log.
 */
class StartupFailureTest {
    @TempDir
    Path dir;

    private CommandRun start(Map<String, String> environment) throws Exception {
        Map<String, String> all = new HashMap<>(Map.of("DCE_DB_URL", "jdbc:h2:file:" + dir.resolve("dce")
                .toAbsolutePath(), "DCE_HTTP_PORT", Integer.toString(RunningService.freePort())));
        all.putAll(environment);
        return CommandRun.of(all);
    }

    private static void assertOneLine(CommandRun run, String expected) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err().lines().toList()).containsExactly("dce-etl cannot start: " + expected);
        assertThat(run.out()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("SIGTERM")
                .doesNotContain("ERROR");
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            CommandRun run = start(Map.of("DCE_HTTP_PORT", Integer.toString(taken.getLocalPort())));
            assertOneLine(run, "dce.http.port: cannot listen on 0.0.0.0:" + taken.getLocalPort() + " (Address already"
                    + " in use); another process has it, or set dce.http.port / DCE_HTTP_PORT");
        }
    }

    @Test
    void numbersThatAreNotNumbers() throws Exception {
        assertOneLine(start(Map.of("DCE_HTTP_PORT", "abc")), "dce.http.port: 'abc' is not a whole number");
        assertOneLine(start(Map.of("DCE_INBOX_WORKERS", "two")), "dce.inbox.workers: 'two' is not a whole number");
        assertOneLine(start(Map.of("DCE_DB_H2_COMPACT_AFTER_IDLE_SECONDS", "-5")),
                "dce.db.h2.compact-after-idle-seconds: -5 is negative (0 turns compaction while idle off)");
    }

    @Test
    void databaseUnreachableIsWaitedForThenNamed() throws Exception {
        int closed = RunningService.freePort();
        long started = System.nanoTime();
        CommandRun run = start(Map.of("DCE_DB_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/dce",
                "DCE_DB_STARTUP_TIMEOUT_SECONDS", "6", "DCE_DB_CONNECTION_TIMEOUT_MS", "500"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines().toList()).singleElement().asString().startsWith("dce-etl cannot start:"
                + " dce.db.url: jdbc:postgresql://127.0.0.1:" + closed + "/dce not reachable after 6 s"
                + " (dce.db.startup-timeout-seconds): SQLState 08001");
        assertThat(run.out().lines().filter(line -> line.contains("not reachable yet"))).hasSizeBetween(1, 4);
        assertThat(run.out()).doesNotContain("\tat ").doesNotContain("SIGTERM");
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(30);
    }

    @Test
    void wrongPasswordIsNotWaitedFor() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("locked").toAbsolutePath();
        TestDatabases.migrated(url, "sa", "").close();
        CommandRun run = start(Map.of("DCE_DB_URL", url, "DCE_DB_PASSWORD", "wrong"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines().toList()).singleElement().asString().contains("dce.db.password")
                .contains("Wrong user name or password");
    }

    @Test
    void startedFromAnotherDirectory() throws Exception {
        CommandRun run = CommandRun.in(dir, Map.of());
        assertOneLine(run, "config/application.properties: not found in " + dir.toRealPath() + "; start dce-etl"
                + " from the directory that holds config/ and routes/");
    }

    @Test
    void jsonLogsAreOneObjectPerLine() throws Exception {
        assertOneLine(start(Map.of("DCE_LOG_FORMAT", "xml")), "dce.log.format: 'xml' is not text or json");
        CommandRun run = start(Map.of("DCE_LOG_FORMAT", "json", "DCE_INBOX_WORKERS", "two"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out().lines().toList()).isNotEmpty().allSatisfy(line -> assertThat(
                new ObjectMapper().readTree(line).get("formattedMessage").isTextual()).as(line).isTrue());
        assertThat(run.out()).contains("\"level\":\"INFO\"").contains("\"loggerName\":");
    }

    @Test
    void unknownOptionShowsUsage() throws Exception {
        CommandRun run = CommandRun.of(Map.of(), "--bogus");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Unknown option: '--bogus'").contains("Usage: dce-etl");
        assertThat(Files.exists(dir.resolve("dce.mv.db"))).isFalse();
    }
}
