package com.dce.etl.config;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.dce.etl.support.RunningService;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * A routes file saved while the service runs: a good edit replaces the routes (and the channels that health and
 * status look at); an edit with a mistake is refused whole in one log line naming the file, route, parameter and
 * reason, and the routes running stay as they were.
 */
class RoutesReloadTest {
    @TempDir
    Path routes;

    @Test
    void aGoodEditIsAppliedAndABadOneRefusedWhileThePreviousKeepsRunning() throws Exception {
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Path trackdrive = routes.resolve("trackdrive.camel.yaml");
        String original = Files.readString(trackdrive);
        WireMockServer api = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        api.start();
        api.stubFor(get(urlPathEqualTo("/api/v1/calls")).willReturn(aResponse().withStatus(401)));
        Logger reloads = (Logger) LoggerFactory.getLogger(CheckedRouteReload.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        reloads.addAppender(lines);
        try (RunningService service = RunningService.start(Map.of("dce.routes.dir", routes.toString(),
                "camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml",
                "dce.routes.reload-enabled", "true", "dce.trackdrive.webhook-token", "tok",
                "dce.trackdrive.base-url", api.baseUrl(), "dce.trackdrive.public-key", "p",
                "dce.trackdrive.private-key", "k", "dce.trackdrive.poll-cron", "0 0 0 1 1 ? 2099"))) {
            service.runNow("trackdrive", "calls");
            assertThat(service.get("/observe/health").statusCode()).as("the provider refused the key").isEqualTo(503);

            // a mistake: refused whole, the webhook and the poller keep running as before
            Files.writeString(trackdrive, original.replace("cursor param=cursor", "cursr param=cursor"));
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.list.stream()
                    .anyMatch(line -> line.getFormattedMessage().contains("refused")));
            assertThat(lines.list.get(lines.list.size() - 1).getFormattedMessage())
                    .contains(trackdrive + ": trackdrive-calls-poll: pagination: unknown pagination style 'cursr'");
            assertThat(webhook(service, "token=tok")).isEqualTo(202);

            // a good edit: the webhook now takes its token in ?key=, and the new poll stream starts healthy
            Files.writeString(trackdrive, original.replace("token secret=dce.trackdrive.webhook-token",
                    "token secret=dce.trackdrive.webhook-token query=key"));
            // the reload makes every route again, and a webhook meanwhile may get 503 (CI once read that where the
            // old token's 401 was expected, a full run read it from health): the outcome is waited for, not read once
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> webhook(service, "key=tok") == 202
                    && webhook(service, "token=tok") == 401);
            await().atMost(Duration.ofSeconds(30)).until(() -> service.get("/observe/health").statusCode() == 200);
        } finally {
            reloads.detachAppender(lines);
            api.stop();
        }
    }

    private static int webhook(RunningService service, String query) throws Exception {
        return service.post("/webhooks/trackdrive?" + query, "{\"id\": \"r-1\", \"status\": \"finished\"}",
                "Content-Type", "application/json").statusCode();
    }
}
