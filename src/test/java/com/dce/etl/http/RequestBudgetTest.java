package com.dce.etl.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

class RequestBudgetTest {

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

    private static RequestBudget.Limit perHour(int count) {
        return new RequestBudget.Limit(count, Duration.ofHours(1), count + "/hour");
    }

    @Test
    void allowsThePerHourCountThenStopsUntilTheOldestAgesOut() throws Exception {
        ManualClock clock = new ManualClock();
        RequestBudget budget = new RequestBudget("callrail", List.of(perHour(3)), Duration.ZERO, clock);
        budget.acquire();
        clock.advance(Duration.ofMinutes(10));
        budget.acquire();
        budget.acquire();
        assertThat(budget.used(Duration.ofHours(1))).isEqualTo(3);

        assertThatThrownBy(budget::acquire).isInstanceOf(ProviderApiFailure.class)
                .hasMessageContaining("callrail request budget of 3/hour is used up until");

        clock.advance(Duration.ofMinutes(50));
        budget.acquire();
        assertThat(budget.used(Duration.ofHours(1))).isEqualTo(3);
    }

    @Test
    void everyWindowCountsAndTheLongestWaitNamesItsLimit() throws Exception {
        ManualClock clock = new ManualClock();
        RequestBudget budget = new RequestBudget("callrail", List.of(perHour(3),
                new RequestBudget.Limit(4, Duration.ofDays(1), "4/day")), Duration.ZERO, clock);
        for (int i = 0; i < 3; i++) {
            budget.acquire();
        }
        clock.advance(Duration.ofHours(2));
        budget.acquire();
        assertThatThrownBy(budget::acquire).as("the hour has room, the day has none")
                .hasMessageContaining("request budget of 4/day is used up");
        clock.advance(Duration.ofHours(22).plusMinutes(1));
        budget.acquire();
    }

    @Test
    void waitsWhenTheNextSlotIsSoon() throws Exception {
        ManualClock clock = new ManualClock();
        RequestBudget budget = new RequestBudget("x", List.of(perHour(1)), Duration.ofHours(2), clock);
        Instant beforeFirst = clock.instant();
        budget.acquire();
        clock.advance(Duration.ofMinutes(60).minusMillis(30));
        budget.acquire();
        // by the budget's clock, not by time measured from here: a busy machine may spend part of the 30 ms before
        // the second acquire starts (it did, in a full test run: 17 ms were left to wait)
        assertThat(clock.instant()).isAfterOrEqualTo(beforeFirst.plus(Duration.ofHours(1)));
    }
}
