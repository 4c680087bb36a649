package com.dce.etl.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class HourlyRequestBudgetTest {

    /** Real time, moved forward by hand on top. */
    private static final class ManualClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void advance(Duration duration) {
            offset = offset.plus(duration);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void allowsThePerHourCountThenStopsUntilTheOldestAgesOut() throws Exception {
        ManualClock clock = new ManualClock();
        HourlyRequestBudget budget = new HourlyRequestBudget("callrail", 3, Duration.ZERO, clock);
        budget.acquire();
        clock.advance(Duration.ofMinutes(10));
        budget.acquire();
        budget.acquire();
        assertThat(budget.used()).isEqualTo(3);

        assertThatThrownBy(budget::acquire).isInstanceOf(PollFailure.class)
                .hasMessageContaining("callrail request budget of 3/hour is used up until");

        clock.advance(Duration.ofMinutes(50));
        budget.acquire();
        assertThat(budget.used()).isEqualTo(3);
    }

    @Test
    void waitsWhenTheNextSlotIsSoon() throws Exception {
        ManualClock clock = new ManualClock();
        HourlyRequestBudget budget = new HourlyRequestBudget("x", 1, Duration.ofHours(2), clock);
        budget.acquire();
        clock.advance(Duration.ofMinutes(60).minusMillis(30));
        long started = System.nanoTime();
        budget.acquire();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(25));
    }
}
