package com.dce.etl.admin;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.camel.Exchange;

import com.dce.etl.backfill.Backfill;
import com.dce.etl.backfill.BackfillStore;
import com.dce.etl.channel.Channel;
import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.config.Settings;
import com.dce.etl.inbox.InboxStore;
import com.dce.etl.poll.PollState;
import com.dce.etl.poll.WatermarkStore;
import com.dce.etl.reconcile.ReconciliationStore;
import com.dce.etl.status.StatusPage;
import com.dce.etl.status.StatusQueries;
import com.dce.etl.status.StatusSnapshot;
import com.dce.etl.writeback.CallUpdateStore;

/** {@code GET /status}: reads a {@link StatusSnapshot} and answers the {@link StatusPage} as HTML. */
public final class StatusPageResource {
    private static final int HOURS = 24;

    private final AdminAccess access;
    private final Settings settings;
    private final StatusQueries queries;
    private final ChannelRegistry channels;
    private final WatermarkStore watermarks;
    private final InboxStore inbox;
    private final BackfillStore backfills;
    private final ReconciliationStore days;
    private final CallUpdateStore callUpdates;

    public StatusPageResource(AdminAccess access, Settings settings, StatusQueries queries, ChannelRegistry channels,
            WatermarkStore watermarks, InboxStore inbox, BackfillStore backfills, ReconciliationStore days,
            CallUpdateStore callUpdates) {
        this.access = access;
        this.settings = settings;
        this.queries = queries;
        this.channels = channels;
        this.watermarks = watermarks;
        this.inbox = inbox;
        this.backfills = backfills;
        this.days = days;
        this.callUpdates = callUpdates;
    }

    public void page(Exchange exchange) throws SQLException {
        if (access.authorizedPerson(exchange).isEmpty()) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Channel> declared = channels.all();
        List<PollState> polls = watermarks.all();
        Map<String, Long> backlog = inbox.pendingByProvider();
        TreeSet<String> providers = new TreeSet<>();
        declared.forEach(channel -> providers.add(channel.provider()));
        polls.forEach(poll -> providers.add(poll.provider()));
        Map<String, OffsetDateTime> newest = new HashMap<>();
        for (String provider : providers) {
            queries.newestCall(provider).ifPresent(time -> newest.put(provider, time));
        }
        // the running and queued backfills, then the latest ended ones
        List<Backfill> shown = backfills.list(20);
        StatusSnapshot snapshot = new StatusSnapshot(now, settings.getInt("dce.status.refresh-seconds", 15), HOURS,
                providers, declared, polls, queries.activity(now.truncatedTo(ChronoUnit.HOURS), HOURS), newest,
                queries.deadLettersByReason(), backlog, shown,
                days.since(LocalDate.now(ZoneOffset.UTC).minusDays(settings.getInt("dce.reconcile-days", 7) + 1L)),
                callUpdates.countsByProvider());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setBody(StatusPage.render(snapshot));
    }
}
