package com.dce.etl.reconcile;

import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.backfill.Backfill;
import com.dce.etl.backfill.BackfillStore;
import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.config.Settings;
import com.dce.etl.http.ProviderApiFailure;
import com.dce.etl.mapping.ProviderJson;
import com.dce.etl.mapping.transform.TimestampTransform;
import com.dce.etl.observe.PipelineMetrics;
import com.dce.etl.poll.PollStream;

/**
 * Compares, for each provider stream that can be read by window and each of the last {@code dce.reconcile-days}
 * complete days (in {@code dce.<provider>.timezone}), the provider's own count of calls with the calls stored and the
 * dead letters waiting for that day. A day with calls missing is backfilled once ({@code dce.reconcile.heal}) and
 * checked again when that backfill ends; a day the provider counts fewer calls for than are stored is reported as
 * {@code extra}, and nothing is deleted. Where the provider gives no count the day is {@code unknown}.
 */
public final class Reconciliation {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciliation.class);

    private final ChannelRegistry channels;
    private final ReconciliationStore store;
    private final BackfillStore backfills;
    private final Settings settings;
    private final PipelineMetrics metrics;

    public Reconciliation(ChannelRegistry channels, ReconciliationStore store, BackfillStore backfills,
            Settings settings, PipelineMetrics metrics) {
        this.channels = channels;
        this.store = store;
        this.backfills = backfills;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** The reconcile route's step: every stream, every day. */
    public void run() throws InterruptedException {
        int days = settings.getInt("dce.reconcile-days", 7);
        for (PollStream stream : streams()) {
            try {
                ZoneId zone = zone(stream.provider());
                LocalDate today = LocalDate.now(zone);
                Map<LocalDate, Long> deadLetters = deadLetterDays(stream, zone);
                long missing = 0;
                for (int back = days; back >= 1; back--) {
                    DayCheck check = check(stream, today.minusDays(back), zone, deadLetters);
                    missing += check.missingCalls();
                }
                metrics.reconciliationMissing(stream.provider(), missing);
                LOG.info("Reconciliation of {} {}: last {} days checked, {} calls missing", stream.provider(),
                        stream.stream(), days, missing);
            } catch (SQLException | RuntimeException | ProviderApiFailure e) {
                LOG.warn("Reconciliation of {} {} stopped; the next run checks again: {}", stream.provider(),
                        stream.stream(), e.getMessage());
            }
        }
    }

    /** A heal backfill has ended: its day is checked again (once healed, a day that still differs is missing). */
    public void backfillEnded(Backfill backfill) {
        if (!backfill.purpose().equals("heal")) {
            return;
        }
        channels.find(PollStream.class, backfill.provider(), backfill.stream()).ifPresent(stream -> {
            try {
                ZoneId zone = zone(stream.provider());
                LocalDate day = backfill.from().atZoneSameInstant(zone).toLocalDate();
                check(stream, day, zone, deadLetterDays(stream, zone));
            } catch (SQLException | RuntimeException | ProviderApiFailure e) {
                LOG.warn("Healed day of {} {} not checked again now; the next run does: {}", stream.provider(),
                        stream.stream(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private DayCheck check(PollStream stream, LocalDate day, ZoneId zone, Map<LocalDate, Long> deadLetters)
            throws SQLException, ProviderApiFailure, InterruptedException {
        OffsetDateTime from = day.atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime next = day.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
        // providers take both ends of a window as inclusive, to the second
        OffsetDateTime to = next.minusSeconds(1);
        Long providerCount = stream.count(from, to).orElse(null);
        long stored = store.storedCalls(stream.provider(), from, next);
        long waiting = deadLetters.getOrDefault(day, 0L);
        String status = DayCheck.compare(providerCount, stored, waiting);
        Optional<DayCheck> before = store.find(stream.provider(), stream.stream(), day);
        Long backfillId = before.map(DayCheck::backfillId).orElse(null);
        OffsetDateTime healedAt = before.map(DayCheck::healedAt).orElse(null);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (status.equals(DayCheck.MISSING) && healing(backfillId)) {
            status = DayCheck.HEALING;
        } else if (status.equals(DayCheck.MISSING) && healedAt == null
                && Boolean.parseBoolean(settings.get("dce.reconcile.heal", "true"))) {
            backfillId = backfills.create(stream.provider(), stream.stream(), "heal", from, to);
            healedAt = now;
            status = DayCheck.HEALING;
            LOG.info("{} {} {}: the provider counts {} calls, {} stored and {} dead-lettered; backfill {} heals it",
                    stream.provider(), stream.stream(), day, providerCount, stored, waiting, backfillId);
        }
        DayCheck check = new DayCheck(stream.provider(), stream.stream(), day, providerCount, stored, waiting, status,
                backfillId, now, healedAt);
        store.save(check);
        return check;
    }

    private boolean healing(Long backfillId) throws SQLException {
        return backfillId != null && backfills.find(backfillId).map(backfill -> !backfill.finished()).orElse(false);
    }

    /** How many waiting dead letters fall on each day, by the stream's time field in their payloads. */
    private Map<LocalDate, Long> deadLetterDays(PollStream stream, ZoneId zone) throws SQLException {
        Map<LocalDate, Long> days = new HashMap<>();
        TimestampTransform times = stream.times();
        for (String payload : store.waitingDeadLetterPayloads(stream.provider())) {
            try {
                stream.timeOf(ProviderJson.read(payload), times).ifPresent(time ->
                        days.merge(time.atZoneSameInstant(zone).toLocalDate(), 1L, Long::sum));
            } catch (Exception notJson) {
                // a payload that is not JSON has no day; it is in the dead letters all the same
            }
        }
        return days;
    }

    private List<PollStream> streams() {
        return channels.all(PollStream.class).stream().filter(PollStream::isOn).filter(PollStream::windowed).toList();
    }

    private ZoneId zone(String provider) {
        String key = "dce." + provider + ".timezone";
        String zone = settings.get(key, "UTC");
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalStateException(key + ": unknown time zone '" + zone + "'");
        }
    }
}
