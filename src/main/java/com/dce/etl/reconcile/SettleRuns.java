package com.dce.etl.reconcile;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.backfill.Backfill;
import com.dce.etl.backfill.BackfillStore;
import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.config.Settings;
import com.dce.etl.poll.PollStream;

/**
 * Calls change after they end (revenue, conversions, recordings, transcripts, tags), and some providers never tell
 * (CallRail does not re-send a Call Modified webhook). Once a day ({@code dce.settle-cron}) each stream that can be
 * read by window is re-read for its last {@code dce.<provider>.settle-days} days, as a backfill of purpose
 * {@code settle}: through the normal pipeline and request budget, rows written with {@code ingest_channel = settle},
 * unchanged rows left as they are. A stream whose last settle run has not finished is not queued again.
 */
public final class SettleRuns {
    private static final Logger LOG = LoggerFactory.getLogger(SettleRuns.class);

    private final ChannelRegistry channels;
    private final BackfillStore backfills;
    private final Settings settings;

    public SettleRuns(ChannelRegistry channels, BackfillStore backfills, Settings settings) {
        this.channels = channels;
        this.backfills = backfills;
        this.settings = settings;
    }

    /** The settle route's step. */
    public void run() throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Backfill> unfinishedSettles = backfills.unfinished().stream()
                .filter(backfill -> backfill.purpose().equals("settle")).toList();
        for (PollStream stream : channels.all(PollStream.class)) {
            if (!stream.isOn() || !stream.windowed()) {
                continue;
            }
            boolean unfinished = unfinishedSettles.stream().anyMatch(backfill -> backfill.provider()
                    .equals(stream.provider()) && backfill.stream().equals(stream.stream()));
            if (unfinished) {
                LOG.info("Settle re-read of {} {} not queued: the last one has not finished", stream.provider(),
                        stream.stream());
                continue;
            }
            int days = settings.getInt("dce." + stream.provider() + ".settle-days", 2);
            long id = backfills.create(stream.provider(), stream.stream(), "settle", now.minusDays(days), now);
            LOG.info("Settle re-read of {} {} over the last {} days queued as backfill {}", stream.provider(),
                    stream.stream(), days, id);
        }
    }
}
