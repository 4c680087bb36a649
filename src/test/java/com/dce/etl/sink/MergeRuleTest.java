package com.dce.etl.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.mapping.DceColumn;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.retry.Backoff;
import com.dce.etl.retry.RetryPolicy;
import com.dce.etl.support.Db;
import com.dce.etl.support.MappedCalls;
import com.dce.etl.support.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;

/** SPEC's merge rule, on the real database through {@link CallWriter}. */
class MergeRuleTest {
    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private CallWriter writer;
    private Db db;

    @BeforeEach
    void open() {
        dataSource = TestDatabases.fresh(dir);
        SqlDialect dialect = SqlDialect.forUrl(dataSource.getJdbcUrl());
        writer = new CallWriter(dataSource, dialect,
                new RetryPolicy(new Backoff(Duration.ofMillis(5), Duration.ofMillis(50)), 10),
                new DeadLetterStore(dataSource, dialect));
        db = new Db(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private static MappedCall call(String id, String uuid, Object... columnsAndValues) {
        return MappedCalls.trackdrive(id, uuid, columnsAndValues);
    }

    private void write(MappedCall... calls) throws Exception {
        CallWriter.Outcome outcome = writer.write("trackdrive", "webhook", "test", List.of(calls), BatchCompletion.nothing());
        assertThat(outcome.failed()).isEmpty();
    }

    private Map<String, Object> only() throws Exception {
        return db.row("SELECT * FROM dce_calls");
    }

    @Test
    void aRecordReadAgainIsSkippedOnlyWhileItIsTheLastOneMerged() throws Exception {
        MappedCall first = call("1", "u1", DceColumn.CALL_VALUE, new BigDecimal("10.0000"));
        MappedCall second = call("1", "u1", DceColumn.CALL_VALUE, new BigDecimal("20.0000"));
        write(first);
        Map<String, Object> stored = only();
        assertThat(stored.get("source_hash")).isNotNull();

        write(first);
        assertThat(only()).as("the same record again: nothing written").isEqualTo(stored);

        // in one batch, the stored record comes again after another: it merges into what that one left
        writer.write("trackdrive", "poll", "test", List.of(second, first), BatchCompletion.nothing());
        assertThat(only().get("call_value")).isEqualTo(new BigDecimal("10.0000"));
        write(second);
        assertThat(only().get("call_value")).isEqualTo(new BigDecimal("20.0000"));
        db.execute("UPDATE dce_calls SET call_value = 99, source_hash = NULL");
        write(second);
        assertThat(only().get("call_value")).as("a row changed since (a write-back) takes the record again")
                .isEqualTo(new BigDecimal("20.0000"));
    }

    /**
     * New rows of a page take the database's bulk path (PostgreSQL: COPY as CSV), known ones the merge statement:
     * every kind of value, quotes, separators, line breaks and backslashes included (before and after characters
     * beyond ASCII, which the COPY writes as UTF-8), is stored the same either way.
     */
    @Test
    void everyKindOfValueIsStoredTheSameWhetherTheRowIsNewOrMerged() throws Exception {
        Object[] values = {DceColumn.CALLER_CITY, "Saint \"Paul\", MN\nline two\\ tab\there ü ☎ \"Zoë\", 🚀,\"",
                DceColumn.CALL_TRANSCRIPT, "", DceColumn.CALL_STATUS, "completed",
                DceColumn.CALL_VALUE, new BigDecimal("1E+2"), DceColumn.CALL_DURATION, 61,
                DceColumn.CALL_START_TIME, OffsetDateTime.parse("2026-03-01T10:15:30.123456+02:00"),
                DceColumn.IS_CONVERTED, true, DceColumn.OFFER_CONVERTED, false,
                DceColumn.CUSTOM_DATA, "{\"note\": \"a \\\"quoted\\\" word, and \\\\ one\"}"};
        write(call("new-1", "new-u1", values), call("new-2", "new-u2", DceColumn.CALLER_CITY, "x"));
        write(call("merged-1", "merged-u1", DceColumn.CALL_STATUS, "in_progress"),
                call("merged-2", "merged-u2"));
        write(call("merged-1", "merged-u1", values), call("merged-2", "merged-u2", DceColumn.CALLER_CITY, "x"));

        Map<String, Object> inserted = db.row("SELECT * FROM dce_calls WHERE external_call_id = 'new-1'");
        Map<String, Object> merged = db.row("SELECT * FROM dce_calls WHERE external_call_id = 'merged-1'");
        for (String column : List.of("caller_city", "call_transcript", "call_status", "call_value", "call_duration",
                "is_converted", "offer_converted", "custom_data", "call_uuid", "source_hash")) {
            if (!column.equals("call_uuid") && !column.equals("source_hash")) {
                assertThat(inserted.get(column)).as(column).isEqualTo(merged.get(column));
            }
            assertThat(inserted.get(column)).as(column).isNotNull();
        }
        assertThat(inserted.get("caller_city")).isEqualTo("Saint \"Paul\", MN\nline two\\ tab\there ü ☎ \"Zoë\", 🚀,\"");
        assertThat(inserted.get("call_transcript")).as("an empty text stays empty, not NULL").isEqualTo("");
        assertThat(inserted.get("call_value")).isEqualTo(new BigDecimal("100.0000"));
        assertThat(((OffsetDateTime) inserted.get("call_start_time")).toInstant())
                .isEqualTo(((OffsetDateTime) merged.get("call_start_time")).toInstant())
                .isEqualTo(OffsetDateTime.parse("2026-03-01T08:15:30.123456Z").toInstant());
        assertThat(inserted.get("caller_state")).as("a column without a value stays NULL").isNull();
        assertThat(inserted.get("source_payload")).isEqualTo(call("new-1", "new-u1", values).sourcePayload());
    }

    @Test
    void nonNullReplacesAndNullNeverErases() throws Exception {
        write(call("1", "u1", DceColumn.CALLER_CITY, "Denver", DceColumn.CALL_VALUE, new BigDecimal("1.0000")));
        write(call("1", "u1", DceColumn.CALL_VALUE, new BigDecimal("2.5000")));
        Map<String, Object> row = only();
        assertThat(row.get("caller_city")).isEqualTo("Denver");
        assertThat(row.get("call_value")).isEqualTo(new BigDecimal("2.5000"));
    }

    @Test
    void terminalStatusNeverGoesBackToInProgress() throws Exception {
        write(call("1", "u1", DceColumn.CALL_STATUS, "completed", DceColumn.PROVIDER_STATUS, "finished",
                DceColumn.CALL_DURATION, 120));
        write(call("1", "u1", DceColumn.CALL_STATUS, "in_progress", DceColumn.PROVIDER_STATUS, "forwarded",
                DceColumn.CALL_DURATION, 0, DceColumn.CALLER_STATE, "CO"));
        Map<String, Object> row = only();
        assertThat(row.get("call_status")).isEqualTo("completed");
        assertThat(row.get("provider_status")).isEqualTo("finished");
        assertThat(row.get("call_duration")).isEqualTo(120);
        assertThat(row.get("caller_state")).as("an earlier event still fills gaps").isEqualTo("CO");
    }

    @Test
    void startThenEndAndEndThenStartGiveTheSameRow() throws Exception {
        MappedCall start = call("7", "u7", DceColumn.CALL_STATUS, "in_progress", DceColumn.PROVIDER_STATUS,
                "forwarded", DceColumn.CALL_DURATION, 0, DceColumn.CALLER_CITY, "Boulder");
        MappedCall end = call("7", "u7", DceColumn.CALL_STATUS, "completed", DceColumn.PROVIDER_STATUS, "finished",
                DceColumn.CALL_DURATION, 95, DceColumn.CALL_VALUE, new BigDecimal("9.0000"));
        write(start, end);
        Map<String, Object> inOrder = withoutTimes(only());
        db.clear();
        write(end);
        write(start);
        Map<String, Object> reversed = withoutTimes(only());
        assertThat(reversed).isEqualTo(inOrder);
        assertThat(inOrder.get("call_duration")).isEqualTo(95);
        assertThat(inOrder.get("caller_city")).isEqualTo("Boulder");
    }

    @Test
    void olderRecordByProviderUpdateTimeOnlyFillsGaps() throws Exception {
        OffsetDateTime earlier = OffsetDateTime.parse("2026-11-20T10:00:00Z");
        OffsetDateTime later = earlier.plusMinutes(5);
        write(call("3", "u3", DceColumn.SOURCE_UPDATED_AT, later, DceColumn.BUYER_NAME, "New buyer"));
        write(call("3", "u3", DceColumn.SOURCE_UPDATED_AT, earlier, DceColumn.BUYER_NAME, "Old buyer",
                DceColumn.BUYER_ID, "b-1"));
        Map<String, Object> row = only();
        assertThat(row.get("buyer_name")).isEqualTo("New buyer");
        assertThat(row.get("buyer_id")).isEqualTo("b-1");
    }

    @Test
    void unknownStatusDoesNotReplaceAKnownOne() throws Exception {
        write(call("4", null, DceColumn.CALL_STATUS, "no_answer"));
        write(call("4", null, DceColumn.CALL_STATUS, "unknown", DceColumn.PROVIDER_STATUS, "teleported"));
        assertThat(only().get("call_status")).isEqualTo("no_answer");
    }

    @Test
    void aCallThatEndedWithAnUnknownStatusDoesNotGoBackToInProgress() throws Exception {
        write(call("6", "u6", DceColumn.CALL_STATUS, "unknown", DceColumn.PROVIDER_STATUS, "teleported",
                DceColumn.CALL_DURATION, 80));
        write(call("6", "u6", DceColumn.CALL_STATUS, "in_progress", DceColumn.PROVIDER_STATUS, "ringing",
                DceColumn.CALL_DURATION, 0, DceColumn.CALLER_CITY, "Denver"));
        Map<String, Object> row = only();
        assertThat(row.get("call_status")).isEqualTo("unknown");
        assertThat(row.get("provider_status")).isEqualTo("teleported");
        assertThat(row.get("call_duration")).isEqualTo(80);
        assertThat(row.get("caller_city")).as("the earlier event still fills gaps").isEqualTo("Denver");
        write(call("6", "u6", DceColumn.CALL_STATUS, "completed", DceColumn.PROVIDER_STATUS, "finished"));
        assertThat(only().get("call_status")).as("a known end replaces unknown").isEqualTo("completed");
    }

    @Test
    void duplicateChangesNothingNotEvenLastUpdatedAt() throws Exception {
        MappedCall first = call("5", "u5", DceColumn.CALLER_CITY, "Denver");
        write(first);
        Map<String, Object> before = only();
        // a write now would carry a later last_updated_at
        OffsetDateTime firstWrite = (OffsetDateTime) before.get("last_updated_at");
        await().until(() -> OffsetDateTime.now().isAfter(firstWrite.plusNanos(1_000_000)));
        write(call("5", "u5", DceColumn.CALLER_CITY, "Denver"));
        assertThat(only()).isEqualTo(before);
    }

    @Test
    void uuidOnlyThenIdAndUuidMakeOneRowKeyedById() throws Exception {
        write(call(null, "u9", DceColumn.CALL_STATUS, "in_progress", DceColumn.CALLER_CITY, "Aurora"));
        assertThat(only().get("external_call_id")).as("keyed by uuid until the id is known").isEqualTo("u9");
        write(call(null, "u9", DceColumn.CALLER_STATE, "CO"));
        write(call("900", "u9", DceColumn.CALL_STATUS, "completed"));
        Map<String, Object> row = only();
        assertThat(row.get("external_call_id")).isEqualTo("900");
        assertThat(row.get("call_uuid")).isEqualTo("u9");
        assertThat(row.get("caller_city")).isEqualTo("Aurora");
        assertThat(row.get("caller_state")).isEqualTo("CO");
        assertThat(row.get("call_status")).isEqualTo("completed");
        write(call(null, "u9", DceColumn.BUYER_NAME, "Late buyer"));
        assertThat(only().get("buyer_name")).as("a later uuid-only record finds the id row").isEqualTo("Late buyer");
    }

    @Test
    void idOnlyRowAndUuidOnlyRowMergeWhenARecordLinksThem() throws Exception {
        write(call("77", null, DceColumn.CALLER_CITY, "Golden"));
        write(call(null, "u77", DceColumn.CALL_STATUS, "in_progress", DceColumn.CALLER_STATE, "CO"));
        assertThat(db.count("dce_calls")).isEqualTo(2);
        write(call("77", "u77", DceColumn.CALL_STATUS, "completed"));
        Map<String, Object> row = only();
        assertThat(row.get("external_call_id")).isEqualTo("77");
        assertThat(row.get("call_uuid")).isEqualTo("u77");
        assertThat(row.get("caller_city")).isEqualTo("Golden");
        assertThat(row.get("caller_state")).isEqualTo("CO");
        assertThat(row.get("call_status")).isEqualTo("completed");
    }

    @Test
    void oneBatchWithTheSameCallTwiceAndALinkingRecord() throws Exception {
        CallWriter.Outcome outcome = writer.write("trackdrive", "poll", "test", List.of(
                call(null, "ub", DceColumn.CALLER_CITY, "Lakewood"),
                call("b1", "ub", DceColumn.CALL_STATUS, "in_progress"),
                call("b1", "ub", DceColumn.CALL_STATUS, "completed"),
                call("b2", "ub2", DceColumn.CALL_STATUS, "busy")), BatchCompletion.nothing());
        assertThat(outcome.written()).isEqualTo(4);
        assertThat(db.rows("SELECT external_call_id, call_uuid, call_status, caller_city, ingest_channel"
                + " FROM dce_calls ORDER BY external_call_id")).containsExactly(
                Map.of("external_call_id", "b1", "call_uuid", "ub", "call_status", "completed",
                        "caller_city", "Lakewood", "ingest_channel", "poll"),
                row("b2", "ub2", "busy", null, "poll"));
    }

    @Test
    void aUuidClaimedByAnotherIdIsRefusedNotMerged() throws Exception {
        write(call("1", "shared"));
        CallWriter.Outcome outcome = writer.write("trackdrive", "poll", "test", List.of(call("2", "shared")), BatchCompletion.nothing());
        assertThat(outcome.failed()).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("already belongs to call id 1"));
        assertThat(db.count("dce_calls")).isEqualTo(1);
    }

    @Test
    void aValueTheDatabaseRefusesFailsOnlyItsOwnCall() throws Exception {
        CallWriter.Outcome outcome = writer.write("trackdrive", "poll", "test", List.of(
                call("ok1", null, DceColumn.CALLER_PHONE, "+13035551234"),
                call("bad", null, DceColumn.CALLER_PHONE, "+1".repeat(40)),
                call("ok2", null)), BatchCompletion.nothing());
        assertThat(outcome.written()).isEqualTo(2);
        assertThat(outcome.failed()).singleElement().satisfies(f -> {
            assertThat(f.call().externalCallId()).isEqualTo("bad");
            assertThat(f.reason().name()).isEqualTo("DB_ERROR");
            assertThat(f.message()).startsWith("SQLState ").doesNotContain("MERGE INTO").doesNotContain("INSERT INTO");
        });
        assertThat(db.count("dce_calls")).isEqualTo(2);
        assertThat(db.row("SELECT reason_code, payload FROM dce_dead_letters")).containsEntry("reason_code", "DB_ERROR")
                .satisfies(letter -> assertThat((String) letter.get("payload")).contains("bad"));
    }

    @Test
    void aPageFailingAfterItsRowsLeavesTheWatermarkAndARetryCompletesIt() throws Exception {
        OffsetDateTime mark = OffsetDateTime.parse("2026-11-20T16:00:00Z");
        var watermarks = new com.dce.etl.poll.WatermarkStore(dataSource, SqlDialect.forUrl(dataSource.getJdbcUrl()));
        var rejected = new com.dce.etl.deadletter.DeadLetter("trackdrive", "poll", "test",
                com.dce.etl.mapping.ReasonCode.MISSING_ID, "record has no call id", "{\"x\":1}");
        db.execute("ALTER TABLE dce_poll_state RENAME TO dce_poll_state_gone");
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.write("trackdrive", "poll", "test",
                    List.of(call("p1", null)), new BatchCompletion(List.of(rejected),
                    new com.dce.etl.poll.WatermarkAdvance(watermarks, "trackdrive", "calls", mark), List.of())));
            assertThat(db.count("dce_dead_letters")).isZero();
        } finally {
            db.execute("ALTER TABLE dce_poll_state_gone RENAME TO dce_poll_state");
        }
        writer.write("trackdrive", "poll", "test", List.of(call("p1", null)), new BatchCompletion(List.of(rejected),
                new com.dce.etl.poll.WatermarkAdvance(watermarks, "trackdrive", "calls", mark), List.of()));
        assertThat(db.count("dce_calls")).isEqualTo(1);
        assertThat(db.count("dce_dead_letters")).as("the retry writes the dead letter once").isEqualTo(1);
        assertThat(db.row("SELECT watermark, rows_loaded FROM dce_poll_state")).containsEntry("watermark", mark)
                .containsEntry("rows_loaded", 1L);
    }

    private static Map<String, Object> row(String id, String uuid, String status, String city, String channel) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("external_call_id", id);
        row.put("call_uuid", uuid);
        row.put("call_status", status);
        row.put("caller_city", city);
        row.put("ingest_channel", channel);
        return row;
    }

    private static Map<String, Object> withoutTimes(Map<String, Object> row) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(row);
        copy.remove("first_seen_at");
        copy.remove("last_updated_at");
        copy.remove("source_payload");
        return copy;
    }
}
