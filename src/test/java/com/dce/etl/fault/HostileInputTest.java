package com.dce.etl.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import com.dce.etl.mapping.MappingCatalog;
import com.dce.etl.mapping.ProviderJson;
import com.dce.etl.mapping.RecordContext;
import com.dce.etl.mapping.RecordRejected;
import com.dce.etl.support.Db;
import com.dce.etl.support.RawConnection;
import com.dce.etl.support.RunningService;
import com.dce.etl.support.Signatures;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
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
    private static final int MAX_CONNECTIONS = 600;

    private static RunningService service;
    private static Db db;
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    /** How the service writes its log (src/main/resources/logback.xml). */
    private static Encoder<ILoggingEvent> SERVICE_LOG_FORMAT;

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
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        SERVICE_LOG_FORMAT = ((ConsoleAppender<ILoggingEvent>) logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                .getAppender("text")).getEncoder();
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
        service = RunningService.start(Map.of("dce.trackdrive.webhook-token", TD, "dce.retreaver.webhook-token", RT,
                "dce.callrail.webhook-signing-key", CR, "dce.admin.token", ADMIN,
                "dce.webhook.max-body-bytes", Integer.toString(MAX_BODY),
                "dce.http.max-connections", Integer.toString(MAX_CONNECTIONS),
                "dce.http.idle-timeout-seconds", "4", "dce.http.header-timeout-seconds", "2",
                "dce.http.body-timeout-seconds", "2"));
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
        // more digits after the point than any amount has (20): refused in constant time, as 1e-100000000 is
        cases.add(accepted("tiny decimal", td, json, "{\"id\": \"h45\", \"buyer_revenue\": 1e-400}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("small decimal rounds", td, json, "{\"id\": \"h44x\", \"buyer_revenue\": 0.00004}",
                Outcome.ROW, "h44x"));
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
        cases.add(accepted("id of 300 characters", td, json, "{\"id\": \"h57x" + "9".repeat(300) + "\"}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("status is an object", td, json, "{\"id\": \"h58\", \"status\": {\"x\": 1}}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("city longer than its column", td, json,
                "{\"id\": \"h59\", \"caller_city\": \"" + "c".repeat(3000) + "\"}", Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        // --- numbers of absurd size: refused at once as mapping errors, with short messages
        cases.add(accepted("revenue 1e-100000000 as text", td, json,
                "{\"id\":\"h100\",\"buyer_revenue\":\"1e-100000000\"}", Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("revenue 1e-100000000 as number", td, json,
                "{\"id\":\"h101\",\"buyer_revenue\":1e-100000000}", Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("duration 1e-99999999 as text", td, json,
                "{\"id\":\"h102\",\"total_duration\":\"1e-99999999\"}", Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("duration 1e-99999999 as number", td, json,
                "{\"id\":\"h103\",\"total_duration\":1e-99999999}", Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("revenue 1e2100000000 as number", td, json,
                "{\"id\":\"h104\",\"buyer_revenue\":1e2100000000}", Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("revenue 1e2100000000 as text", td, json,
                "{\"id\":\"h105\",\"buyer_revenue\":\"1e2100000000\"}", Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("revenue 9999999999.99995 rounds out of decimal(14,4)", td, json,
                "{\"id\":\"h106\",\"buyer_revenue\":9999999999.99995}", Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("city of 3.9 kB", td, json,
                "{\"id\":\"h107\",\"caller_city\":\"" + "c".repeat(3900) + "\"}", Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("scale beyond an int", td, json,
                "{\"id\":\"h108\",\"buyer_revenue\":1e-2147483648}", Outcome.DEAD_LETTER, "INVALID_JSON"));
        cases.add(accepted("duration 1e400", td, json, "{\"id\":\"h109\",\"total_duration\":1e400}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("campaign name one over its column", td, json,
                "{\"id\":\"h110\",\"offer\":\"" + "n".repeat(1001) + "\"}", Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("campaign name as long as its column", td, json,
                "{\"id\":\"h111\",\"offer\":\"" + "n".repeat(1000) + "\"}", Outcome.ROW, "h111"));
        cases.add(accepted("a thousand digits of revenue", td, json,
                "{\"id\":\"h112\",\"buyer_revenue\":1" + "0".repeat(990) + "}", Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("epoch start of 1e19", td, json, "{\"id\":\"h113\",\"created_at\":1e19}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        // --- one text form per id; invisible characters refused
        cases.add(accepted("id 100", td, json, "{\"id\":100,\"status\":\"ringing\"}", Outcome.ROW, "100"));
        cases.add(accepted("id 100.00 is the same call", td, json, "{\"id\":100.00,\"status\":\"answered\"}",
                Outcome.ROW, "100"));
        cases.add(accepted("id 1e2 is the same call", td, json, "{\"id\":1e2,\"status\":\"finished\"}", Outcome.ROW,
                "100"));
        cases.add(accepted("id with a right-to-left override", td, json, "{\"id\":\"h114\u202Eabc\"}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("id with a zero-width space", td, json, "{\"id\":\"h115\u200B\"}", Outcome.DEAD_LETTER,
                "MAPPING_ERROR"));
        cases.add(accepted("id with an escaped bell", td, json, "{\"id\":\"h116\\u0007\"}", Outcome.DEAD_LETTER,
                "MAPPING_ERROR"));
        cases.add(accepted("id with a byte-order mark inside", td, json, "{\"id\":\"h117\uFEFF\"}",
                Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(accepted("id with a soft hyphen", td, json, "{\"id\":\"h118\u00ADx\"}", Outcome.DEAD_LETTER,
                "MAPPING_ERROR"));
        cases.add(accepted("id with spaces around is trimmed", td, json, "{\"id\":\"  h119 \"}", Outcome.ROW, "h119"));
        // --- log lines: one event, one line, no terminal escapes
        cases.add(accepted("status forging a log line", td, json,
                "{\"id\":\"h120\",\"status\":\"weird\\n15:00:00.000 ERROR [main] forged\"}", Outcome.ROW, "h120"));
        cases.add(accepted("status with an ANSI escape", td, json,
                "{\"id\":\"h121\",\"status\":\"\\u001b[31mred\\u001b[0m\"}", Outcome.ROW, "h121"));
        cases.add(accepted("status with a carriage return", td, json,
                "{\"id\":\"h122\",\"status\":\"ok\\rERROR overwritten\"}", Outcome.ROW, "h122"));
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
        // --- secrets in any letter case, from the URL or a form, are not stored
        cases.add(new Case("retreaver: TOKEN in capitals", "GET", "/webhooks/retreaver?TOKEN=" + RT + "&uuid=h123",
                List.of(), new byte[0], 202, Outcome.ROW, "h123"));
        cases.add(new Case("retreaver: tOkEn in mixed case", "GET", "/webhooks/retreaver?tOkEn=" + RT + "&uuid=h124",
                List.of(), new byte[0], 202, Outcome.ROW, "h124"));
        cases.add(bytes("retreaver: token as a form field", "/webhooks/retreaver",
                List.of("Content-Type", "application/x-www-form-urlencoded"),
                ("tOkEn=" + RT + "&uuid=h125&status=finished").getBytes(StandardCharsets.UTF_8), 202, Outcome.ROW,
                "h125"));
        cases.add(bytes("retreaver: token in the header and the form", "/webhooks/retreaver",
                List.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", "Token " + RT),
                ("TOKEN=" + RT + "&uuid=h126").getBytes(StandardCharsets.UTF_8), 202, Outcome.ROW, "h126"));
        cases.add(new Case("retreaver: uuid given twice", "GET", rt + "&uuid=h127&uuid=h128", List.of(), new byte[0],
                400, Outcome.NOTHING, null));
        cases.add(new Case("retreaver: uuid given twice in two cases", "GET", rt + "&uuid=h127&UUID=h128", List.of(),
                new byte[0], 400, Outcome.NOTHING, null));
        cases.add(new Case("retreaver: zero-width space in the uuid", "GET", rt + "&uuid=h129%E2%80%8B", List.of(),
                new byte[0], 202, Outcome.DEAD_LETTER, "MAPPING_ERROR"));
        cases.add(new Case("retreaver: newline in the status", "GET",
                rt + "&uuid=h130&status=x%0A15:00:00.000%20ERROR%20forged", List.of(), new byte[0], 202, Outcome.ROW,
                "h130"));
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
        List<String> admin = List.of("Authorization", "Bearer " + ADMIN);
        for (String id : List.of("99999999999999999999", "-1", "0", "9223372036854775807", "1e3")) {
            for (String action : List.of("discard", "replay")) {
                cases.add(new Case("admin: " + action + " of dead letter " + id, "POST",
                        "/admin/dead-letters/" + id + "/" + action, admin, new byte[0], 404, Outcome.NOTHING, null));
            }
        }
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
        soon().until(() -> db.count("dce_inbox") == 0);
        long calls = db.count("dce_calls");
        long letters = db.count("dce_dead_letters");
        int logsBefore = LOGS.list.size();
        // a fresh client per case: some answers (431, 413) close the connection, which must not spill into the next
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(hostile.name() + ": " + response.body()).isEqualTo(hostile.status());
        SECRETS.forEach(secret -> assertThat(response.body()).doesNotContain(secret));
        switch (hostile.outcome()) {
            case ROW -> soon().until(() -> db.rows(
                    "SELECT 1 FROM dce_calls WHERE external_call_id = '" + hostile.expectation().replace("'", "''")
                            + "'"), rows -> rows.size() == 1);
            case DEAD_LETTER -> {
                String marker = hostile.name();
                Map<String, Object> letter = soon().until(() -> db.rows(
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
        if (response.statusCode() >= 400) {
            assertThat(response.body()).as(hostile.name() + ": error body").startsWith("{\"error\":");
        }
        soon().until(() -> db.count("dce_inbox") == 0);
        assertNothingStoredHoldsASecret(hostile.name());
        assertLogLinesAreWhole(hostile.name(), logsBefore);
    }

    /** Neither a stored call, nor a dead letter, nor the admin API's view of the dead letters holds a secret. */
    private static void assertNothingStoredHoldsASecret(String name) throws Exception {
        String stored = db.rows("SELECT source_payload FROM dce_calls").toString()
                + db.rows("SELECT payload, error_message FROM dce_dead_letters").toString()
                + service.get("/admin/dead-letters?limit=500", "Authorization", "Bearer " + ADMIN).body();
        SECRETS.forEach(secret -> assertThat(stored).as(name + ": stored data").doesNotContain(secret));
    }

    /**
     * Each log event the case caused, written as the service writes it, is one line without control characters or
     * terminal escapes, holds no secret and no stack trace.
     */
    private static void assertLogLinesAreWhole(String name, int logsBefore) {
        List<ILoggingEvent> events = new ArrayList<>(LOGS.list.subList(logsBefore, LOGS.list.size()));
        for (ILoggingEvent event : events) {
            String line = new String(SERVICE_LOG_FORMAT.encode(event), StandardCharsets.UTF_8);
            assertThat(line).as(name + ": log line").endsWith("\n");
            String text = line.substring(0, line.length() - 1);
            assertThat(text.chars().filter(c -> c < 0x20 || c == 0x7f || c == 0x9b))
                    .as(name + ": control characters in " + text).isEmpty();
            SECRETS.forEach(secret -> assertThat(text).as(name + ": log line").doesNotContain(secret));
            assertThat(event.getThrowableProxy()).as(name + ": stack trace logged with " + text).isNull();
        }
    }

    /**
     * A request written byte for byte: what it must be answered (the status line's start, or null for no answer at
     * all), whether the server must then close the connection, and what it leaves behind.
     */
    record RawCase(String name, List<String> parts, Duration pause, String answer, boolean closes, Outcome outcome,
            String expectation) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<RawCase> rawCorpus() {
        List<RawCase> cases = new ArrayList<>();
        String td = "POST /webhooks/trackdrive?token=" + TD + " HTTP/1.1\r\nHost: x\r\n";
        String body = "{\"id\":\"h140\"}";
        cases.add(raw("Content-Length and Transfer-Encoding", td + "Content-Length: " + body.length()
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body, "HTTP/1.1 400", true, Outcome.NOTHING, null));
        cases.add(raw("Transfer-Encoding and Content-Length", td + "Transfer-Encoding: chunked\r\nContent-Length: 4"
                + "\r\n\r\nd\r\n" + body + "\r\n0\r\n\r\n", "HTTP/1.1 400", true, Outcome.NOTHING, null));
        cases.add(raw("two different Content-Lengths", td + "Content-Length: 13\r\nContent-Length: 5\r\n\r\n" + body,
                "HTTP/1.1 400", true, Outcome.NOTHING, null));
        cases.add(raw("Transfer-Encoding gzip, chunked", td + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                "HTTP/1.1 400", true, Outcome.NOTHING, null));
        cases.add(raw("two Transfer-Encodings", td + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n", "HTTP/1.1 400", true, Outcome.NOTHING, null));
        cases.add(raw("folded header line", td + "Content-Type: application/json\r\nX-Note: a\r\n  folded\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body, "HTTP/1.1 400", true, Outcome.NOTHING, null));
        cases.add(raw("folded with a tab", td + "X-Note: a\r\n\tfolded\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 400",
                true, Outcome.NOTHING, null));
        cases.add(raw("negative Content-Length", td + "Content-Length: -1\r\n\r\n", "HTTP/1.1 400", true,
                Outcome.NOTHING, null));
        cases.add(raw("Content-Length not a number", td + "Content-Length: 1e3\r\n\r\n", "HTTP/1.1 400", true,
                Outcome.NOTHING, null));
        cases.add(raw("chunk size not hexadecimal", td + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n",
                "HTTP/1.1 400", true, Outcome.NOTHING, null));
        cases.add(raw("Content-Length over the limit, no body sent", td + "Content-Length: " + (MAX_BODY + 1)
                + "\r\n\r\n", "HTTP/1.1 413", true, Outcome.NOTHING, null));
        cases.add(raw("Content-Length of 2^63", td + "Content-Length: 9223372036854775808\r\n\r\n", "HTTP/1.1 400",
                true, Outcome.NOTHING, null));
        cases.add(raw("chunk larger than the limit announced", td + "Transfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(MAX_BODY + 1) + "\r\n", "HTTP/1.1 413", true, Outcome.NOTHING, null));
        cases.add(raw("headers of 70 kB", "GET /observe/health HTTP/1.1\r\nHost: x\r\n"
                + ("X-Pad: " + "p".repeat(1000) + "\r\n").repeat(70) + "\r\n", "HTTP/1.1 431", true, Outcome.NOTHING,
                null));
        cases.add(raw("h2c upgrade is not taken", "GET /observe/health HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, "
                + "HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n", "HTTP/1.1 200",
                false, Outcome.NOTHING, null));
        cases.add(raw("HTTP/2 prior knowledge is not spoken", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "HTTP/1.1 505",
                true, Outcome.NOTHING, null));
        cases.add(raw("chunked body with an extension and a trailer", td + "Transfer-Encoding: chunked\r\n"
                + "Content-Type: application/json\r\n\r\n" + "5;note=x\r\n{\"id\"\r\n8\r\n:\"h141\"}\r\n0\r\nX-T: 1\r\n\r\n",
                "HTTP/1.1 202", false, Outcome.ROW, "h141"));
        cases.add(raw("two requests in one write", td + "Content-Length: 13\r\n\r\n{\"id\":\"h142\"}" + td
                + "Content-Length: 13\r\n\r\n{\"id\":\"h143\"}", "HTTP/1.1 202", false, Outcome.ROW, "h142"));
        cases.add(new RawCase("a kept-alive connection may wait between requests", List.of(td
                + "Content-Length: 13\r\n\r\n{\"id\":\"h144\"}", td + "Content-Length: 13\r\n\r\n{\"id\":\"h145\"}"),
                Duration.ofSeconds(3), "HTTP/1.1 202", false, Outcome.ROW, "h145"));
        cases.add(new RawCase("headers a byte at a time", td.chars().mapToObj(c -> String.valueOf((char) c)).toList(),
                Duration.ofMillis(150), "HTTP/1.1 408", true, Outcome.NOTHING, null));
        cases.add(new RawCase("body a byte at a time", Stream.concat(Stream.of(td + "Content-Length: 13\r\n\r\n"),
                "{\"id\":\"h146\"}".chars().mapToObj(c -> String.valueOf((char) c))).toList(), Duration.ofMillis(300),
                "HTTP/1.1 408", true, Outcome.NOTHING, null));
        cases.add(new RawCase("chunks a byte at a time", Stream.concat(Stream.of(td + "Transfer-Encoding: chunked\r\n\r\n"),
                Stream.generate(() -> "1\r\nx\r\n").limit(30)).toList(), Duration.ofMillis(150), "HTTP/1.1 408", true,
                Outcome.NOTHING, null));
        return cases.stream();
    }

    private static RawCase raw(String name, String request, String answer, boolean closes, Outcome outcome,
            String expectation) {
        return new RawCase(name, List.of(request), Duration.ZERO, answer, closes, outcome, expectation);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rawCorpus")
    void rawRequestsAreFramedStrictly(RawCase hostile) throws Exception {
        soon().until(() -> db.count("dce_inbox") == 0);
        long calls = db.count("dce_calls");
        long letters = db.count("dce_dead_letters");
        int logsBefore = LOGS.list.size();
        StringBuilder received = new StringBuilder();
        try (RawConnection connection = RawConnection.open(service.port())) {
            try {
                for (int i = 0; i < hostile.parts().size(); i++) {
                    connection.send(hostile.parts().get(i));
                    if (!hostile.pause().isZero() && i < hostile.parts().size() - 1) {
                        // the pause is the slow client's pace, what this case is about, not a wait for a result
                        received.append(connection.readFor(hostile.pause()));
                    }
                }
            } catch (java.io.IOException closedWhileSending) {
                // the server gave up on the request before all of it was sent
            }
            String answer = received.length() > 0 ? received.toString()
                    : connection.readResponse(Duration.ofSeconds(10));
            assertThat(answer).as(hostile.name()).isNotNull().startsWith(hostile.answer());
            assertThat(connection.closedWithin(hostile.closes() ? Duration.ofSeconds(5) : Duration.ofMillis(300)))
                    .as(hostile.name() + ": connection closed").isEqualTo(hostile.closes());
        }
        switch (hostile.outcome()) {
            case ROW -> soon().until(() -> db.rows(
                    "SELECT 1 FROM dce_calls WHERE external_call_id = '" + hostile.expectation() + "'"),
                    rows -> rows.size() == 1);
            case NOTHING -> {
                assertThat(db.count("dce_inbox")).as(hostile.name() + ": inbox").isZero();
                assertThat(db.count("dce_calls")).as(hostile.name() + ": calls").isEqualTo(calls);
                assertThat(db.count("dce_dead_letters")).as(hostile.name() + ": dead letters").isEqualTo(letters);
            }
            case DEAD_LETTER -> throw new IllegalStateException("no raw case leaves a dead letter");
        }
        assertLogLinesAreWhole(hostile.name(), logsBefore);
    }

    @Test
    void anAbsurdNumberIsRefusedAtOnceAndDoesNotDelayOtherWebhooks() throws Exception {
        soon().until(() -> db.count("dce_inbox") == 0);
        String td = "/webhooks/trackdrive?token=" + TD;
        // 52 bytes that held a loading thread for 75 s of rounding, and 53 that filled the heap with its digits
        List<String> hostile = List.of("{\"id\":\"h150\",\"buyer_revenue\":\"1e-100000000\"}",
                "{\"id\":\"h151\",\"total_duration\":\"1e-99999999\"}", "{\"id\":\"h152\",\"buyer_revenue\":1e2100000000}");
        long sent = System.nanoTime();
        for (String body : hostile) {
            assertThat(service.post(td, body, "Content-Type", "application/json").statusCode()).isEqualTo(202);
        }
        assertThat(service.post(td, "{\"id\":\"h153\",\"status\":\"finished\",\"buyer_revenue\":\"12.5\"}",
                "Content-Type", "application/json").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> db.count(
                "dce_calls WHERE external_call_id = 'h153'") == 1 && db.count(
                        "dce_dead_letters WHERE payload LIKE '%h15_%'") == 3);
        long tookMillis = (System.nanoTime() - sent) / 1_000_000;
        // the three refusals and the good call, from the first request sent to all four settled; a number read with
        // its digits (75 s for one) or a lease run out (30 s) would show here
        assertThat(tookMillis).as("ms until refused and loaded").isLessThan(1000);
        for (Map<String, Object> letter : db.rows(
                "SELECT reason_code, error_message FROM dce_dead_letters WHERE payload LIKE '%h15_%'")) {
            assertThat(letter.get("reason_code")).isEqualTo("MAPPING_ERROR");
            assertThat((String) letter.get("error_message")).hasSizeLessThan(300);
        }
        // mapping one such record, on its own: the time the issue asks to stay under 100 ms
        var mapping = service.bean("mappings", MappingCatalog.class).forProvider("trackdrive");
        for (String body : hostile) {
            var record = ProviderJson.read(body);
            long start = System.nanoTime();
            assertThatThrownBy(() -> mapping.map(record, body,
                    new RecordContext("webhook", java.time.OffsetDateTime.now()))).isInstanceOf(RecordRejected.class);
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms to refuse " + body).isLessThan(100);
        }
    }

    @Test
    void idleConnectionsDoNotLockOutAWebhook() throws Exception {
        List<RawConnection> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                idle.add(RawConnection.open(service.port()));
            }
            HttpResponse<String> answer = service.post("/webhooks/trackdrive?token=" + TD,
                    "{\"id\":\"h160\",\"status\":\"finished\"}", "Content-Type", "application/json");
            assertThat(answer.statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(5)).until(() -> db.count("dce_calls WHERE external_call_id = 'h160'") == 1);
            assertThat(service.get("/observe/health").statusCode()).isEqualTo(200);
            // past the limit, the connection idle longest makes room for the new one
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                idle.add(RawConnection.open(service.port()));
            }
            assertThat(service.post("/webhooks/trackdrive?token=" + TD, "{\"id\":\"h161\"}", "Content-Type",
                    "application/json").statusCode()).isEqualTo(202);
            assertThat(idle.get(0).closedWithin(Duration.ofSeconds(2))).as("idlest connection closed").isTrue();
            // and a connection that never sends is closed after dce.http.idle-timeout-seconds (4 s here)
            RawConnection silent = RawConnection.open(service.port());
            idle.add(silent);
            assertThat(silent.closedWithin(Duration.ofSeconds(10))).as("silent connection closed").isTrue();
        } finally {
            for (RawConnection connection : idle) {
                connection.close();
            }
        }
    }

    @Test
    void anEndlessChunkedBodyIsCutOffAtTheLimit() throws Exception {
        int logsBefore = LOGS.list.size();
        byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long written = 0;
        try (RawConnection connection = RawConnection.open(service.port())) {
            connection.send("POST /webhooks/trackdrive HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            try {
                // an attacker that never stops: the loop ends when the server closes the connection
                while (written < 1_000_000_000L) {
                    connection.send(chunk);
                    written += chunk.length;
                }
            } catch (java.io.IOException closed) {
                // what the issue asks for
            }
            assertThat(written).as("bytes written before the server closed").isLessThan(32L * 1024 * 1024);
        }
        assertLogLinesAreWhole("endless chunked body", logsBefore);
    }

    /** Waits up to 10 s, looking every 10 ms: most conditions here hold within a few milliseconds. */
    private static org.awaitility.core.ConditionFactory soon() {
        return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    /** A text of the payload that identifies the case's dead letter (the hN marker in it). */
    private static String markerOf(Case hostile) {
        String text = new String(hostile.body(), StandardCharsets.UTF_8) + hostile.path();
        java.util.regex.Matcher marker = java.util.regex.Pattern.compile("h\\d{2,3}(?!\\d)").matcher(text);
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
