package com.dce.etl.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.deadletter.DeadLetter;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.mapping.ReasonCode;
import com.dce.etl.retry.Backoff;
import com.dce.etl.support.Db;
import com.dce.etl.support.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Giving up on an inbox entry writes its dead letter and deletes the entry in one transaction: when the delete fails
 * (as a crash between the two would), no dead letter is left behind, and the entry is still there to be given up on
 * again, so the dead letter is written exactly once in the end.
 */
class InboxGiveUpTest {
    @TempDir
    Path dir;

    @Test
    void theDeadLetterAndTheDeleteCommitTogether() throws Exception {
        try (HikariDataSource dataSource = TestDatabases.fresh(dir)) {
            Db db = new Db(dataSource);
            // no handoff: the entry is stored for a claim
            InboxWriter writer = TestInboxWriters.on(dataSource,
                    new InboxHandoff(0, Duration.ofSeconds(30), Clock.systemUTC()));
            long id = writer.submit("trackdrive", "webhook", "trackdrive-webhook", "{\"id\": \"stuck\"}").join();
            writer.close();
            InboxStore inbox = new InboxStore(dataSource, Duration.ofSeconds(30),
                    new Backoff(Duration.ofMillis(10), Duration.ofMillis(10)),
                    new DeadLetterStore(dataSource, SqlDialect.forUrl(dataSource.getJdbcUrl())));
            InboxEntry entry = inbox.claim(10).entries().get(0);
            assertThat(entry.id()).isEqualTo(id);
            DeadLetter letter = new DeadLetter("trackdrive", "webhook", "trackdrive-webhook", ReasonCode.MAX_ATTEMPTS,
                    "not loaded after 25 attempts", entry.payload());

            db.failDeletesFrom("dce_inbox");
            assertThatThrownBy(() -> inbox.moveToDeadLetters(entry, letter)).isInstanceOf(SQLException.class);
            assertThat(db.count("dce_dead_letters")).as("no letter without the delete").isZero();
            assertThat(db.count("dce_inbox")).isEqualTo(1);

            db.stopFailingDeletesFrom("dce_inbox");
            inbox.moveToDeadLetters(entry, letter);
            assertThat(db.count("dce_dead_letters")).isEqualTo(1);
            assertThat(db.count("dce_inbox")).isZero();
        }
    }
}
