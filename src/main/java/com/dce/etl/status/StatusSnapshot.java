package com.dce.etl.status;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

import com.dce.etl.backfill.Backfill;
import com.dce.etl.channel.Channel;
import com.dce.etl.poll.PollState;
import com.dce.etl.reconcile.DayCheck;

/**
 * Everything the status page shows, read at one moment.
 *
 * @param activity per provider, {webhooks, rows} for each of the last {@code hours} hours, oldest first
 * @param callUpdates per provider, write-backs by status ({@code pending}, {@code sending}, {@code sent}, {@code dead})
 */
public record StatusSnapshot(OffsetDateTime at, int refreshSeconds, int hours, SortedSet<String> providers,
        List<Channel> channels, List<PollState> polls, Map<String, long[][]> activity,
        Map<String, OffsetDateTime> newestCalls, Map<String, Map<String, Long>> deadLetters,
        Map<String, Long> inboxBacklog, List<Backfill> backfills, List<DayCheck> days,
        Map<String, Map<String, Long>> callUpdates) {
}
