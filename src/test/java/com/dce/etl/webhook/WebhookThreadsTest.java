package com.dce.etl.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.inbox.InboxHandoff;
import com.dce.etl.inbox.InboxWriter;
import com.dce.etl.support.Fixtures;
import com.dce.etl.support.HeldConnections;
import com.dce.etl.support.RunningService;

/**
 * Webhook routes run on the event loop that received the request: a webhook waiting for its inbox commit holds no
 * thread, and a route's failure is answered without taking the server down.
 */
class WebhookThreadsTest {
    private static final String TOKEN = "td-threads-secret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void webhooksWaitingForTheirCommitHoldNoThread() throws Exception {
        HeldConnections held = new HeldConnections();
        AtomicReference<InboxWriter> writer = new AtomicReference<>();
        // one worker thread: a webhook that waited for its commit on a worker would leave none for the next request
        try (RunningService service = RunningService.start(Map.of("dce.trackdrive.webhook-token", TOKEN,
                "dce.http.worker-threads", "1"), context -> {
                    DataSource real = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
                    String url;
                    try (Connection connection = real.getConnection()) {
                        url = connection.getMetaData().getURL();
                    }
                    writer.set(new InboxWriter(held.around(real), SqlDialect.forUrl(url), Duration.ofSeconds(30),
                            new InboxHandoff(0, Duration.ofSeconds(30), Clock.systemUTC())));
                    context.getRegistry().bind("inboxWriter", writer.get());
                })) {
            CompletableFuture<HttpResponse<String>> first = send(service, call(9001), TOKEN);
            await().atMost(Duration.ofSeconds(10)).untilTrue(held.asked());

            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 9002; i <= 9021; i++) {
                waiting.add(send(service, call(i), TOKEN));
            }
            // answered while 21 webhooks wait for a commit the database has not even begun
            HttpResponse<String> refused = send(service, call(9999), "wrong").get(10, TimeUnit.SECONDS);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(first).isNotDone();

            held.open();
            assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
            for (CompletableFuture<HttpResponse<String>> response : waiting) {
                assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> service.db().count("dce_calls") == 21);
            assertThat(service.db().count("dce_calls WHERE external_call_id = '9999'")).isZero();
        } finally {
            if (writer.get() != null) {
                writer.get().close();
            }
        }
    }

    @Test
    void aRouteThatFailsIsAnswered500AndTheServerGoesOn() throws Exception {
        try (RunningService service = RunningService.start(Map.of("dce.trackdrive.webhook-token", TOKEN),
                context -> context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("dce-webhook:/webhooks/broken?methods=POST,PUT").routeId("broken")
                                .throwException(new IllegalStateException("broken on purpose"));
                    }
                }))) {
            HttpResponse<String> failed = send(service, "/webhooks/broken", "{}", TOKEN).get(10, TimeUnit.SECONDS);
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(failed.body()).contains("retry later").doesNotContain("broken on purpose");

            assertThat(send(service, call(9101), TOKEN).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
            HttpResponse<String> wrongMethod = HTTP.send(HttpRequest.newBuilder(service.uri("/webhooks/broken"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(wrongMethod.headers().firstValue("Allow").orElseThrow()).contains("POST").contains("PUT");
        }
    }

    private static String call(int id) throws Exception {
        return Fixtures.text("trackdrive/webhook-call-ended.json").replace("8101", Integer.toString(id));
    }

    private static CompletableFuture<HttpResponse<String>> send(RunningService service, String body, String token) {
        return send(service, "/webhooks/trackdrive", body, token);
    }

    private static CompletableFuture<HttpResponse<String>> send(RunningService service, String path, String body,
            String token) {
        return HTTP.sendAsync(HttpRequest.newBuilder(service.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Token " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
