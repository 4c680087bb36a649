package com.dce.etl.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.retry.Backoff;
import com.dce.etl.support.Db;
import com.dce.etl.support.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Webhooks stored already claimed and handed to the instance's workers in memory: what the row says, what a claim
 * sees of it, and what happens to it when the handoff is full, when the instance dies, and when it stops.
 */
class InboxHandoffTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aBatchThatFitsIsStoredClaimedAndHandedOverBeforeItsSenderIsAnswered() throws Exception {
        try (HikariDataSource dataSource = TestDatabases.fresh(dir)) {
            InboxHandoff handoff = new InboxHandoff(10, LEASE, Clock.systemUTC());
            long id;
            OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC);
            try (InboxWriter writer = TestInboxWriters.on(dataSource, handoff)) {
                id = writer.submit("trackdrive", "webhook", "trackdrive-webhook", "{\"id\": \"handed\"}").join();
            }
            // nothing waited for: the entry was in the handoff when add returned
            List<InboxEntry> taken = handoff.take(10, Duration.ZERO);
            assertThat(taken).singleElement().satisfies(entry -> {
                assertThat(entry.id()).isEqualTo(id);
                assertThat(entry.payload()).isEqualTo("{\"id\": \"handed\"}");
                assertThat(entry.attempts()).isEqualTo(1);
            });

            Map<String, Object> row = new Db(dataSource).row(
                    "SELECT attempts, claim_token, claimed_until, next_attempt_at, received_at FROM dce_inbox");
            assertThat(row.get("attempts")).isEqualTo(1);
            assertThat(row.get("claim_token")).isNotNull();
            OffsetDateTime claimedUntil = (OffsetDateTime) row.get("claimed_until");
            assertThat(claimedUntil).isAfterOrEqualTo(before.plus(LEASE));
            assertThat(row.get("next_attempt_at")).as("due when the lease ends").isEqualTo(claimedUntil);
            assertThat(((OffsetDateTime) row.get("received_at")).toInstant())
                    .isEqualTo(taken.get(0).receivedAt().toInstant());
            assertThat(store(dataSource, LEASE).claim(10).entries()).as("not for a claim").isEmpty();
        }
    }

    @Test
    void aBatchThatDoesNotFitIsStoredDueAtOnceForAnyClaim() throws Exception {
        try (HikariDataSource dataSource = TestDatabases.fresh(dir)) {
            InboxHandoff handoff = new InboxHandoff(1, LEASE, Clock.systemUTC());
            handoff.add(List.of(entry(1)), "earlier", Instant.now());
            long id;
            try (InboxWriter writer = TestInboxWriters.on(dataSource, handoff)) {
                id = writer.submit("trackdrive", "webhook", "trackdrive-webhook", "{\"id\": \"unclaimed\"}").join();
            }
            assertThat(handoff.take(10, Duration.ZERO)).extracting(InboxEntry::id).containsExactly(1L);
            assertThat(new Db(dataSource).row("SELECT attempts, claim_token FROM dce_inbox"))
                    .containsEntry("attempts", 0).containsEntry("claim_token", null);
            assertThat(store(dataSource, LEASE).claim(10).entries()).extracting(InboxEntry::id, InboxEntry::attempts)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(id, 1));
        }
    }

    @Test
    void entriesOfAnInstanceThatDiedAreClaimedWhenTheirLeaseEnds() throws Exception {
        try (HikariDataSource dataSource = TestDatabases.fresh(dir)) {
            Duration shortLease = Duration.ofSeconds(1);
            long id;
            // the instance that stored it dies with its handoff: nothing takes the entry from memory
            try (InboxWriter writer = TestInboxWriters.on(dataSource,
                    new InboxHandoff(10, shortLease, Clock.systemUTC()))) {
                id = writer.submit("trackdrive", "webhook", "trackdrive-webhook", "{\"id\": \"orphan\"}").join();
            }
            InboxStore other = store(dataSource, LEASE);
            assertThat(other.claim(10).entries()).as("leased still").isEmpty();
            InboxEntry claimed = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> other.claim(10).entries(), entries -> !entries.isEmpty()).get(0);
            assertThat(claimed.id()).isEqualTo(id);
            assertThat(claimed.attempts()).as("its second start: loaded on its own").isEqualTo(2);
        }
    }

    @Test
    void anEntryWithLessThanHalfItsLeaseLeftIsLeftToTheClaim() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        InboxHandoff handoff = new InboxHandoff(10, LEASE, clock);
        handoff.add(List.of(entry(1)), "t1", clock.instant());
        clock.now = clock.now.plusSeconds(10);
        handoff.add(List.of(entry(2)), "t2", clock.instant());
        clock.now = clock.now.plusSeconds(6);

        assertThat(handoff.take(10, Duration.ZERO)).extracting(InboxEntry::id).containsExactly(2L);
        assertThat(handoff.isEmpty()).isTrue();
    }

    @Test
    void aWaitingWorkerTakesTheFullBatchAsSoonAsAnotherThreadHandsItOver() throws Exception {
        InboxHandoff handoff = new InboxHandoff(10, LEASE, Clock.systemUTC());
        handoff.add(List.of(entry(1)), "t1", Instant.now());
        AtomicReference<List<InboxEntry>> taken = new AtomicReference<>();
        // a linger far longer than the test waits: only the hand-over can end it in time
        Thread worker = new Thread(() -> {
            try {
                taken.set(handoff.take(3, Duration.ofMinutes(10)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.setDaemon(true);
        worker.start();
        // waiting for more, so that what ends its wait is the hand-over below
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.getState() == Thread.State.TIMED_WAITING);
        handoff.add(List.of(entry(2), entry(3)), "t2", Instant.now());

        worker.join(Duration.ofSeconds(30).toMillis());
        assertThat(taken.get()).as("taken before the test stopped waiting").isNotNull()
                .extracting(InboxEntry::id).containsExactly(1L, 2L, 3L);
        assertThat(handoff.isEmpty()).isTrue();
    }

    @Test
    void aWorkerWaitingForMoreTakesWhatIsThereWhenItsLingerEnds() throws Exception {
        InboxHandoff handoff = new InboxHandoff(10, LEASE, Clock.systemUTC());
        handoff.add(List.of(entry(1)), "t1", Instant.now());

        assertThat(handoff.take(3, Duration.ofMillis(20))).extracting(InboxEntry::id).containsExactly(1L);
    }

    @Test
    void takesAtMostTheLimitOldestFirst() throws Exception {
        InboxHandoff handoff = new InboxHandoff(10, LEASE, Clock.systemUTC());
        handoff.add(List.of(entry(1), entry(2), entry(3)), "t", Instant.now());

        assertThat(handoff.take(2, Duration.ZERO)).extracting(InboxEntry::id).containsExactly(1L, 2L);
        assertThat(handoff.hasRoomFor(9)).isTrue();
        assertThat(handoff.hasRoomFor(10)).isFalse();
        assertThat(handoff.take(2, Duration.ZERO)).extracting(InboxEntry::id).containsExactly(3L);
    }

    @Test
    void stoppingReleasesWhatNoWorkerTookButNotWhatAnotherInstanceClaimedSince() throws Exception {
        try (HikariDataSource dataSource = TestDatabases.fresh(dir)) {
            InboxHandoff handoff = new InboxHandoff(10, LEASE, Clock.systemUTC());
            long first;
            long second;
            try (InboxWriter writer = TestInboxWriters.on(dataSource, handoff)) {
                first = writer.submit("trackdrive", "webhook", "trackdrive-webhook", "{\"id\": \"a\"}").join();
                second = writer.submit("trackdrive", "webhook", "trackdrive-webhook", "{\"id\": \"b\"}").join();
            }
            Db db = new Db(dataSource);
            // as if the first one's lease had run out and another instance had claimed it
            db.execute("UPDATE dce_inbox SET claim_token = 'other-instance', attempts = 2 WHERE id = " + first);

            InboxStore inbox = store(dataSource, LEASE);
            inbox.release(handoff.drain());

            assertThat(handoff.isEmpty()).isTrue();
            assertThat(db.row("SELECT claim_token, attempts FROM dce_inbox WHERE id = " + first))
                    .containsEntry("claim_token", "other-instance").containsEntry("attempts", 2);
            assertThat(inbox.claim(10).entries()).as("due at once, as never started")
                    .extracting(InboxEntry::id, InboxEntry::attempts)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(second, 1));
        }
    }

    private static InboxEntry entry(long id) {
        return new InboxEntry(id, "trackdrive", "webhook", "trackdrive-webhook", "{}", OffsetDateTime.now(), 1);
    }

    private static InboxStore store(HikariDataSource dataSource, Duration lease) {
        return new InboxStore(dataSource, lease, new Backoff(Duration.ofMillis(10), Duration.ofMillis(10)),
                new DeadLetterStore(dataSource, SqlDialect.forUrl(dataSource.getJdbcUrl())));
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
