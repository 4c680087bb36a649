package com.dce.etl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.support.RunningService;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** Start-up: bad configuration stops it with file, key and reason; missing credentials only switch a provider off. */
class StartupTest {
    @TempDir
    Path dir;

    @Test
    void badMappingFileStopsStartUp() throws Exception {
        Path mappings = Files.createDirectories(dir.resolve("mappings"));
        Files.writeString(mappings.resolve("trackdrive.yaml"),
                "provider: trackdrive\ncolumns:\n  external_call_id: id\n  caller_phone: {from: caller_number, transform: e164}\n");
        assertThatThrownBy(() -> RunningService.start(Map.of("dce.mappings.dir", mappings.toString())))
                .hasMessageContaining(mappings.resolve("trackdrive.yaml").toString())
                .hasMessageContaining("columns.caller_phone.transform")
                .hasMessageContaining("unknown transform 'e164'");
    }

    @Test
    void malformedCronStopsStartUp() {
        assertThatThrownBy(() -> RunningService.start(Map.of("dce.trackdrive.poll-cron", "0 0/5 * *")))
                .hasMessageContaining("dce.trackdrive.poll-cron")
                .hasMessageContaining("'0 0/5 * *' is not a Quartz cron expression");
    }

    @Test
    void unsupportedDatabaseUrlStopsStartUp() {
        assertThatThrownBy(() -> RunningService.start(Map.of("dce.db.url", "jdbc:mysql://localhost/dce")))
                .hasMessageContaining("dce.db.url")
                .hasMessageContaining("jdbc:mysql://localhost/dce");
    }

    @Test
    void providersWithoutCredentialsAreSwitchedOffWithOneLineEach() throws Exception {
        Logger wiring = (Logger) LoggerFactory.getLogger(ChannelRegistry.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        wiring.addAppender(lines);
        try (RunningService service = RunningService.start(Map.of("dce.trackdrive.webhook-token", "t0k3n"))) {
            assertThat(service.get("/observe/health").statusCode()).isEqualTo(200);
        } finally {
            wiring.detachAppender(lines);
        }
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .contains("trackdrive webhooks (token): on",
                        "trackdrive calls poller: off, set dce.trackdrive.base-url and dce.trackdrive.public-key"
                                + " and dce.trackdrive.private-key to turn it on")
                .noneMatch(line -> line.contains("t0k3n"));
    }

    @Test
    void systemPropertiesOverrideTheConfigFile() throws Exception {
        System.setProperty("dce.trackdrive.webhook-token", "from-command-line");
        try (RunningService service = RunningService.start(Map.of())) {
            assertThat(service.post("/webhooks/trackdrive?token=from-command-line", "{\"id\": 1}",
                    "Content-Type", "application/json").statusCode()).isEqualTo(202);
        } finally {
            System.clearProperty("dce.trackdrive.webhook-token");
        }
    }
}
