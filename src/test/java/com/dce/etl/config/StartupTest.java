package com.dce.etl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.mapping.MappingCatalog;
import com.dce.etl.support.RunningService;
import com.dce.etl.support.ServiceProcess;

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

    /** A mapping file saved while the service runs is read at once and logged as rejected (where and why) or accepted. */
    @Test
    void aSavedMappingFileIsCheckedAtOnce() throws Exception {
        Path mappings = Files.createDirectories(dir.resolve("live-mappings"));
        for (String name : List.of("trackdrive.yaml", "retreaver.yaml", "callrail.yaml", "callrail-trackers.yaml")) {
            Files.copy(Path.of("config/mappings", name), mappings.resolve(name));
        }
        Logger catalog = (Logger) LoggerFactory.getLogger(MappingCatalog.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        catalog.addAppender(lines);
        Path file = mappings.resolve("trackdrive.yaml");
        String good = Files.readString(file);
        try (RunningService service = RunningService.start(Map.of("dce.mappings.dir", mappings.toString(),
                "dce.mappings.check-ms", "100"))) {
            Files.writeString(file, "provider: trackdrive\ncolumns: {external_call_id: id\n  call_uuid: [uuid\n");
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 2_000));
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.list.stream().anyMatch(line -> line
                    .getFormattedMessage().equals("Mapping file " + file + " rejected, the previous version stays in"
                            + " use: " + file + ": cannot be read as YAML: line 3, column 12: expected ',' or '}',"
                            + " but got : (while parsing a flow mapping that starts at line 2, column 10)")));
            Files.writeString(file, good.replace("Auto Insurance", "Auto"));
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 4_000));
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.list.stream().anyMatch(line -> line
                    .getFormattedMessage().equals("Mapping file " + file + " accepted: in use from now on")));
        } finally {
            catalog.detachAppender(lines);
        }
        assertThat(lines.list.stream().filter(line -> line.getFormattedMessage().contains("rejected"))).hasSize(1);
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
        try (RunningService service = RunningService.start(Map.of("dce.trackdrive.webhook-token", "t0k3n",
                "dce.admin.token", "adm"))) {
            assertThat(service.get("/observe/health").statusCode()).isEqualTo(200);
            assertThat(service.get("/observe/health?exposureLevel=full&data=true").body())
                    .contains("\"trackdrive-webhooks-webhook\":\"on\"")
                    .contains("\"retreaver-calls-created-poll\":\"off: set dce.retreaver.api-key and"
                            + " dce.retreaver.company-id\"")
                    .contains("\"message\":\"off: callrail-calls-poll, callrail-trackers-reference,");
            String status = service.get("/admin/status", "Authorization", "Bearer adm").body();
            assertThat(status).contains("{\"stream\":\"calls\",\"state\":\"off\",\"off_reason\":\"set"
                    + " dce.trackdrive.base-url and dce.trackdrive.public-key and dce.trackdrive.private-key\"")
                    .contains("{\"channel\":\"trackdrive-webhooks-webhook\",\"kind\":\"webhook\","
                            + "\"name\":\"webhooks\",\"state\":\"on\",\"off_reason\":null}");
            String metrics = service.get("/observe/metrics").body();
            for (String provider : List.of("trackdrive", "retreaver", "callrail", "ringba", "invoca")) {
                assertThat(metrics).as(provider).containsPattern("dce_polls_total\\{[^}]*outcome=\"success\","
                        + "provider=\""
                        + provider + "\"[^}]*} 0.0").containsPattern("dce_webhooks_total\\{provider=\"" + provider
                        + "\",status=\"202\"} 0.0").contains("dce_reconciliation_missing_calls{provider=\""
                        + provider + "\"} 0.0").containsPattern("dce_calls_loaded_total\\{channel=\"webhook\","
                        + "provider=\"" + provider + "\"} 0.0");
            }
            var off = service.get("/webhooks/retreaver?token=x&uuid=1");
            assertThat(off.statusCode()).isEqualTo(404);
            assertThat(off.body()).isEqualTo("{\"error\":\"retreaver webhooks are off: set"
                    + " dce.retreaver.webhook-token\"}");
            assertThat(service.post("/webhooks/trackdrive?token=t0k3n", "{\"id\": 1}", "Content-Type",
                    "application/json").statusCode()).isEqualTo(202);
        } finally {
            wiring.detachAppender(lines);
        }
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .contains("trackdrive webhooks (token): on",
                        "trackdrive calls poller: off, set dce.trackdrive.base-url and dce.trackdrive.public-key"
                                + " and dce.trackdrive.private-key to turn it on")
                .noneMatch(line -> line.contains("t0k3n"));
    }

    /**
     * H2's AUTO_SERVER port (for the H2 shell beside the service) and, with {@code dce.http.host=127.0.0.1}, the
     * HTTP port take connections on loopback only: from this machine's network address they are refused.
     */
    @Test
    void h2ServerModeAndHttpCanBeKeptToLoopback() throws Exception {
        try (ServiceProcess service = ServiceProcess.start("loopback", Map.of(
                "dce.db.url", "jdbc:h2:file:" + dir.resolve("dce") + ";AUTO_SERVER=TRUE", "dce.db.user", "sa",
                "dce.http.host", "127.0.0.1"))) {
            Properties lock = new Properties();
            try (var in = Files.newInputStream(dir.resolve("dce.lock.db"))) {
                lock.load(in);
            }
            String server = lock.getProperty("server");
            assertThat(server).as("H2 server address in its lock file").matches("(localhost|127\\.0\\.0\\.1):\\d+");
            int h2Port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
            new Socket("127.0.0.1", h2Port).close();
            new Socket("127.0.0.1", service.port()).close();
            List<InetAddress> network = NetworkInterface.networkInterfaces()
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()).toList();
            for (InetAddress address : network) {
                for (int port : new int[] {h2Port, service.port()}) {
                    assertThatThrownBy(() -> new Socket(address, port).close()).as(address + ":" + port)
                            .isInstanceOf(ConnectException.class);
                }
            }
        }
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
