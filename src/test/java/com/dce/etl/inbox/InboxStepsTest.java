package com.dce.etl.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.db.SqlDialect;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.pipeline.CallBatch;
import com.dce.etl.retry.Backoff;
import com.dce.etl.support.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;

/**
 * When a worker's wake-up looks in the table beside taking what was handed over: at once for entries the writer
 * stored there, otherwise not before the look interval has passed.
 */
class InboxStepsTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void entriesStoredForAClaimAreClaimedByTheNextWakeUpWithoutWaitingForTheInterval() throws Exception {
        try (HikariDataSource dataSource = TestDatabases.fresh(dir);
                CamelContext camel = new DefaultCamelContext()) {
            InboxHandoff handoff = new InboxHandoff(1, LEASE, Clock.systemUTC());
            InboxSteps steps = new InboxSteps(store(dataSource), handoff, 25, 10, Duration.ofHours(1));
            assertThat(entriesOf(steps, camel)).as("the first wake-up looks; nothing yet").isEmpty();
            long handed;
            long unclaimed;
            try (InboxWriter writer = TestInboxWriters.on(dataSource, handoff)) {
                handed = writer.submit("trackdrive", "webhook", "trackdrive-webhook", "{\"id\": \"a\"}").join();
                // the handoff is full now: this one is stored for a claim
                unclaimed = writer.submit("trackdrive", "webhook", "trackdrive-webhook", "{\"id\": \"b\"}").join();
            }

            assertThat(entriesOf(steps, camel)).containsExactlyInAnyOrder(handed, unclaimed);
        }
    }

    @Test
    void otherwiseAWakeUpLooksInTheTableOncePerInterval() throws Exception {
        try (HikariDataSource dataSource = TestDatabases.fresh(dir);
                CamelContext camel = new DefaultCamelContext()) {
            InboxHandoff handoff = new InboxHandoff(10, LEASE, Clock.systemUTC());
            InboxSteps steps = new InboxSteps(store(dataSource), handoff, 25, 10, Duration.ofSeconds(2));
            long firstLook = System.nanoTime();
            assertThat(entriesOf(steps, camel)).as("the first wake-up looks; nothing yet").isEmpty();
            // an entry due in the table that nothing announced: a retry come due, a dead instance's lease run out
            try (InboxWriter other = TestInboxWriters.on(dataSource,
                    new InboxHandoff(0, LEASE, Clock.systemUTC()))) {
                other.submit("trackdrive", "webhook", "trackdrive-webhook", "{\"id\": \"due\"}").join();
            }

            List<Long> found = entriesOf(steps, camel);
            // (on a machine so slow that the interval has passed already, the entry is rightly found)
            if (Duration.ofNanos(System.nanoTime() - firstLook).compareTo(Duration.ofSeconds(2)) < 0) {
                assertThat(found).as("within the interval: not looked for").isEmpty();
            }
            List<Long> later = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> entriesOf(steps, camel), entries -> !entries.isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - firstLook)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(later).hasSize(1);
        }
    }

    /** One wake-up: the inbox entries of the batches it made (none when it stopped the route). */
    private static List<Long> entriesOf(InboxSteps steps, CamelContext camel) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        steps.claim(exchange);
        if (exchange.isRouteStop()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<CallBatch> batches = exchange.getMessage().getBody(List.class);
        return batches.stream().flatMap(batch -> batch.inboxEntries().stream()).toList();
    }

    private static InboxStore store(HikariDataSource dataSource) {
        return new InboxStore(dataSource, LEASE, new Backoff(Duration.ofMillis(10), Duration.ofMillis(10)),
                new DeadLetterStore(dataSource, SqlDialect.forUrl(dataSource.getJdbcUrl())));
    }
}
