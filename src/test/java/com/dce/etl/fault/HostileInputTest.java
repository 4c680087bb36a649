package com.dce.etl.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import com.dce.etl.support.Db;
import com.dce.etl.support.RunningService;
import com.dce.etl.support.Signatures;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * A corpus of hostile and broken requests, each with the answer it must get and what it must leave behind: nothing,
 * a row, or a dead letter with a reason. None of it may crash a route, and no secret may reach a log line, an error
 * body or a dead letter.
 */
class HostileInputTest {
    private static final String TD = "td-Secret-Token-42";
    private static final String RT = "rt-Secret-Token-43";
    private static final String CR = "cr-Secret-Signing-44";
    private static final String ADMIN = "admin-Secret-45";
    private static final List<String> SECRETS = List.of(TD, RT, CR, ADMIN);
    private static final int MAX_BODY = 64 * 1024;

    private static RunningService service;
    private static Db db;
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

    /** What a request must leave behind. */
    enum Outcome { NOTHING, ROW, DEAD_LETTER }

    record Case(String name, String method, String path, List<String> headers, byte[] body, int status,
            Outcome outcome, String expectation) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
        service = RunningService.start(Map.of("dce.trackdrive.webhook-token", TD, "dce.retreaver.webhook-token", RT,
                "dce.callrail.webhook-signing-key", CR, "dce.admin.token", ADMIN,
                "dce.webhook.max-body-bytes", Integer.toString(MAX_BODY)));
        db = service.db();
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
        try {
            assertThat(LOGS.list).as("log lines captured from start-up on").hasSizeGreaterThan(50);
            for (ILoggingEvent event : LOGS.list) {
                String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                        : " " + event.getThrowableProxy().getMessage());
                SECRETS.forEach(secret -> assertThat(line).as("log line").doesNotContain(secret));
            }
            for (Map<String, Object> letter : db.rows("SELECT payload, error_message FROM dce_dead_letters")) {
                SECRETS.forEach(secret -> assertThat(String.valueOf(letter)).doesNotContain(secret));
            }
            for (Map<String, Object> row : db.rows("SELECT source_payload FROM dce_calls")) {
                SECRETS.forEach(secret -> assertThat(String.valueOf(row)).doesNotContain(secret));
            }
        } finally {
            service.close();
        }
    }

    static Stream<Case> corpus() throws Exception {
        List<Case> cases = new ArrayList<>();
        String td = "/webhooks/trackdrive?token=" + TD;
        List<String> json = List.of("Content-Type", "application/json");
        // --- bodies that are not one JSON object
        cases.add(post("truncated JSON", td, json, "{\"id\": \"h1\", \"status\": \"fin", 400));
        cases.add(post("unquoted keys", td, json, "{id: 1}", 400));
        cases.add(post("trailing garbage", td, json, "{\"id\": \"h3\"} {\"id\": 4}", 400));
        cases.add(post("empty body", td, json, "", 400));
        cases.add(post("whitespace body", td, json, "   \n\t ", 400));
        cases.add(post("JSON null", td, json, "null", 400));
        cases.add(post("JSON array", td, json, "[{\"id\": \"h7\"}]", 400));
        cases.add(post("JSON number", td, json, "12345", 400));
        cases.add(post("JSON string", td, json, "\"call\"", 400));
        cases.add(post("JSON boolean", td, json, "true", 400));
        cases.add(post("single quotes", td, json, "{'id': 'h11'}", 400));
        cases.add(post("comment in JSON", td, json, "{\"id\": \"h12\" /* hi */}", 400));
        cases.add(post("NaN literal", td, json, "{\"id\": \"h13\", \"buyer_revenue\": NaN}", 400));
        cases.add(post("raw control character", td, json, "{\"id\": \"h14\", \"caller_city\": \"a\u0001b\"}", 400));
        cases.add(bytes("invalid UTF-8", td, json, new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xFF, '"', '}'},
                400, Outcome.NOTHING, null));
        cases.add(bytes("overlong UTF-8", td, json, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0,
            (byte) 0xAF, '"', '}'}, 400, Outcome.NOTHING, null));
        cases.add(post("nested 5000 deep", td, json, "[".repeat(5000) + "]".repeat(5000), 400));
        cases.add(post("object nested 3000 deep", td, json,
                "{\"id\": \"h18\", \"token_values\": " + "{\"a\":".repeat(3000) + "1" + "}".repeat(3001), 400));
        cases.add(bytes("gzip body", td, List.of("Content-Type", "application/json", "Content-Encoding", "gzip"),
                gzip("{\"id\": \"h19\"}"), 400, Outcome.NOTHING, null));
        // --- transport-level abuse
        cases.add(post("body over the limit", td, json, "{\"id\": \"h20\", \"pad\": \"" + "x".repeat(MAX_BODY) + "\"}",
                413));
        cases.add(post("form content type", td, List.of("Content-Type", "application/x-www-form-urlencoded"),
                "{\"id\": \"h21\"}", 415));
        cases.add(post("multipart content type", td, List.of("Content-Type", "multipart/form-data; boundary=x"),
                "--x\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\nh22\r\n--x--\r\n", 415));
        cases.add(new Case("GET on a POST endpoint", "GET", td, List.of(), new byte[0], 405, Outcome.NOTHING, null));
        cases.add(post("query string of 10 kB", td + "&pad=" + "x".repeat(10_000), json, "{\"id\": \"h24\"}", 414));
        cases.add(post("header of 20 kB", td, List.of("Content-Type", "application/json", "X-Pad", "y".repeat(20_000)),
                "{\"id\": \"h25\"}", 431));
        // --- authentication
        String body = "{\"id\": \"h26\", \"status\": \"finished\"}";
        cases.add(post("no token", "/webhooks/trackdrive", json, body, 401));
        cases.add(post("wrong token", "/webhooks/trackdrive?token=" + TD + "x", json, body, 401));
        cases.add(post("token prefix only", "/webhooks/trackdrive?token=" + TD.substring(0, 5), json, body, 401));
        cases.add(post("token in other case", "/webhooks/trackdrive?token=" + TD.toUpperCase(), json, body, 401));
        cases.add(post("bearer instead of token", "/webhooks/trackdrive",
                List.of("Content-Type", "application/json", "Authorization", "Bearer " + TD), body, 401));
        cases.add(post("empty token header", "/webhooks/trackdrive",
                List.of("Content-Type", "application/json", "Authorization", "Token "), body, 401));
        cases.add(post("other provider's token", "/webhooks/trackdrive?token=" + RT, json, body, 401));
        cases.add(post("SQL in the token", "/webhooks/trackdrive?token=%27%20OR%20%271%27%3D%271", json, body, 401));
        // --- well-formed requests with hostile content: accepted, then a row or a dead letter
        cases.add(accepted("SQL in a text field", td, json,
                "{\"id\": \"h34\", \"caller_city\": \"'); DROP TABLE dce_calls;--\"}", Outcome.ROW, "h34"));
        cases.add(accepted("SQL in the id", td, json, "{\"id\": \"h35' OR '1'='1\"}", Outcome.ROW, "h35' OR '1'='1"));
        cases.add(accepted("escaped NUL in a field", td, json, "{\"id\": \"h36\", \"caller_city\": \"a\\u0000b\"}",
                Outcome.ROW, "h36"));
        cases.add(accepted("emoji and accents", td, json, "{\"id\": \"h37\", \"caller_city\": \"Zürich 🚀\"}",
                Outcome.ROW, "h37"));
        cases.add(accepted("JSON with text/plain type", td, List.of("Content-Type", "text/plain"),
                "{\"id\": \"h38\"}", Outcome.ROW, "h38"));
        cases.add(accepted("no content type", td, List.of(), "{\"id\": \"h39\"}", Outcome.ROW, "h39"));
        cases.add(accepted("byte-order mark", td, json, "\uFEFF{\"id\": \"h40\"}", Outcome.ROW, "h40"));
        cases.add(accepted("duplicate keys, last wins", td, json, "{\"id\": \"h41a\", \"id\": \"h41\"}", Outcome.ROW,
                "h41"));
        cases.add(accepted("unknown status", td, json, "{\"id\": \"h42\", \"status\": \"teleported\"}", Outcome.ROW,
                "h42"));
        cases.add(accepted("numeric status", td, json, "{\"id\": \"h43\", \"status\": 42}", Outcome.ROW, "h43"));
        cases.add(accepted("junk phone", td, json, "{\"id\": \"h44\", \"caller_number\": \"+1 (555) DROP TABLE\"}",
                Outcome.ROW, "h44"));
        cases.add(accepted("tiny decimal", td, json, "{\"id\": \"h45\", \"buyer_revenue\": 1e-400}", Outcome.ROW, "h45"));
        cases.add(accepted("deep but allowed nesting", td, json,
                "{\"id\": \"h46\", \"token_values\": " + "{\"a\":".repeat(200) + "1" + "}".repeat(201), Outcome.ROW,
                "h46"));
        cases.add(accepted("huge duration", td, json, "{\"id\": \"h47\", \"total_duration\": 1e308}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("negative duration", td, json, "{\"id\": \"h48\", \"total_duration\": -5}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("NaN as text", td, json, "{\"id\": \"h49\", \"buyer_revenue\": \"NaN\"}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("revenue too big for decimal(14,4)", td, json,
                "{\"id\": \"h50\", \"buyer_revenue\": 12345678901234567890}", Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("year 9999", td, json, "{\"id\": \"h51\", \"created_at\": \"9999-12-31T23:59:59Z\"}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("year zero", td, json, "{\"id\": \"h52\", \"created_at\": \"0000-01-01T00:00:00Z\"}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("epoch out of range", td, json, "{\"id\": \"h53\", \"created_at\": 99999999999999999999}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("no id at all", td, json, "{\"status\": \"finished\", \"caller_city\": \"h54\"}",
                Outcome.DEAD_LETTER, "MISSING_ID"));
        cases.add(accepted("id is an object", td, json, "{\"id\": {\"h55\": 1}}", Outcome.DEAD_LETTER,
                "MAPPING_ERROR"));
        cases.add(accepted("id is an array", td, json, "{\"id\": [\"h56\"]}", Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("id of 300 characters", td, json, "{\"id\": \"h57" + "9".repeat(300) + "\"}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("status is an object", td, json, "{\"id\": \"h58\", \"status\": {\"x\": 1}}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("city longer than its column", td, json,
                "{\"id\": \"h59\", \"caller_city\": \"" + "c".repeat(3000) + "\"}", Outcome.DEAD_LETTER, "DB_ERROR"));
        // --- Retreaver: URL tokens
        String rt = "/webhooks/retreaver?token=" + RT;
        cases.add(new Case("retreaver: token only", "GET", rt, List.of(), new byte[0], 400, Outcome.NOTHING, null));
        cases.add(new Case("retreaver: empty uuid", "GET", rt + "&uuid=&status=finished&caller=h61", List.of(),
                new byte[0], 202, Outcome.DEAD_LETTER, "MISSING_ID"));
        cases.add(new Case("retreaver: NUL in a token", "GET", rt + "&uuid=h62&caller_city=a%00b", List.of(),
                new byte[0], 202, Outcome.ROW, "h62"));
        cases.add(post("retreaver: JSON array", rt, json, "[{\"uuid\": \"h63\"}]", 400));
        cases.add(new Case("retreaver: wrong token", "GET", "/webhooks/retreaver?token=" + TD + "&uuid=h64", List.of(),
                new byte[0], 401, Outcome.NOTHING, null));
        // --- CallRail: signatures
        String cr = "/webhooks/callrail";
        byte[] crBody = "{\"resource_id\": \"h65\", \"call_type\": \"answered\", \"duration\": \"9\"}"
                .getBytes(StandardCharsets.UTF_8);
        cases.add(bytes("callrail: unsigned", cr, json, crBody, 401, Outcome.NOTHING, null));
        cases.add(bytes("callrail: signature of another body", cr, signed(json, "{}".getBytes(StandardCharsets.UTF_8)),
                crBody, 401, Outcome.NOTHING, null));
        cases.add(bytes("callrail: signature not base64", cr, List.of("Content-Type", "application/json", "Signature",
                "%%%"), crBody, 401, Outcome.NOTHING, null));
        cases.add(bytes("callrail: token instead of signature", cr + "?token=" + CR, json, crBody, 401,
                Outcome.NOTHING, null));
        byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
        cases.add(bytes("callrail: signed, not JSON", cr, signed(json, notJson), notJson, 400, Outcome.NOTHING, null));
        cases.add(bytes("callrail: signed, good", cr, signed(json, crBody), crBody, 202, Outcome.ROW, "h65"));
        byte[] badDuration = "{\"resource_id\": \"h71\", \"duration\": \"1:30\"}".getBytes(StandardCharsets.UTF_8);
        cases.add(bytes("callrail: signed, bad duration", cr, signed(json, badDuration), badDuration, 202,
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        // --- admin API
        cases.add(new Case("admin: no token", "GET", "/admin/dead-letters", List.of(), new byte[0], 401,
                Outcome.NOTHING, null));
        cases.add(new Case("admin: webhook token", "GET", "/admin/status", List.of("Authorization", "Bearer " + TD),
                new byte[0], 401, Outcome.NOTHING, null));
        cases.add(new Case("admin: replay of a non-number", "POST", "/admin/dead-letters/abc/replay",
                List.of("Authorization", "Bearer " + ADMIN), new byte[0], 404, Outcome.NOTHING, null));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void answersAsExpectedAndLeavesTheRightTrace(Case hostile) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(hostile.path()))
                .method(hostile.method(), hostile.body().length == 0 && "GET".equals(hostile.method())
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(hostile.body()));
        for (int i = 0; i < hostile.headers().size(); i += 2) {
            request.header(hostile.headers().get(i), hostile.headers().get(i + 1));
        }
        // what earlier cases stored has loaded, so this case's trace (or its absence) can be told apart
        await().atMost(Duration.ofSeconds(10)).until(() -> db.count("dce_inbox") == 0);
        long calls = db.count("dce_calls");
        long letters = db.count("dce_dead_letters");
        // a fresh client per case: some answers (431, 413) close the connection, which must not spill into the next
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(hostile.name() + ": " + response.body()).isEqualTo(hostile.status());
        SECRETS.forEach(secret -> assertThat(response.body()).doesNotContain(secret));
        switch (hostile.outcome()) {
            case ROW -> await().atMost(Duration.ofSeconds(10)).until(() -> db.rows(
                    "SELECT 1 FROM dce_calls WHERE external_call_id = '" + hostile.expectation().replace("'", "''")
                            + "'"), rows -> rows.size() == 1);
            case DEAD_LETTER -> {
                String marker = hostile.name();
                Map<String, Object> letter = await().atMost(Duration.ofSeconds(10)).until(() -> db.rows(
                        "SELECT reason_code, payload FROM dce_dead_letters WHERE payload LIKE '%" + markerOf(hostile)
                                + "%'"), rows -> rows.size() == 1).get(0);
                assertThat(letter.get("reason_code")).as(marker).isEqualTo(hostile.expectation());
            }
            case NOTHING -> {
                // answered before anything was stored: the inbox is written only after every check passed
                assertThat(response.statusCode()).isNotEqualTo(202);
                assertThat(db.count("dce_inbox")).as(hostile.name() + ": inbox").isZero();
                assertThat(db.count("dce_calls")).as(hostile.name() + ": calls").isEqualTo(calls);
                assertThat(db.count("dce_dead_letters")).as(hostile.name() + ": dead letters").isEqualTo(letters);
            }
        }
    }

    /** A text of the payload that identifies the case's dead letter (the hN marker in it). */
    private static String markerOf(Case hostile) {
        String text = new String(hostile.body(), StandardCharsets.UTF_8) + hostile.path();
        java.util.regex.Matcher marker = java.util.regex.Pattern.compile("h\\d\\d").matcher(text);
        if (!marker.find()) {
            throw new IllegalStateException("case " + hostile.name() + " has no hNN marker");
        }
        return marker.group();
    }

    private static Case post(String name, String path, List<String> headers, String body, int status) {
        return new Case(name, "POST", path, headers, body.getBytes(StandardCharsets.UTF_8), status, Outcome.NOTHING,
                null);
    }

    private static Case accepted(String name, String path, List<String> headers, String body, Outcome outcome,
            String expectation) {
        return new Case(name, "POST", path, headers, body.getBytes(StandardCharsets.UTF_8), 202, outcome, expectation);
    }

    private static Case bytes(String name, String path, List<String> headers, byte[] body, int status,
            Outcome outcome, String expectation) {
        return new Case(name, "POST", path, headers, body, status, outcome, expectation);
    }

    private static List<String> signed(List<String> headers, byte[] body) {
        List<String> all = new ArrayList<>(headers);
        all.add("Signature");
        all.add(Signatures.callrail(CR, body));
        return all;
    }

    private static byte[] gzip(String text) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
