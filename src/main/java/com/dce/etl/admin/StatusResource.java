package com.dce.etl.admin;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.camel.Exchange;

import com.dce.etl.channel.Channel;
import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.inbox.InboxStore;
import com.dce.etl.poll.PollState;
import com.dce.etl.poll.WatermarkStore;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code GET /admin/status}: per provider, its poll streams, dead letters waiting and webhooks not yet loaded. */
public final class StatusResource {
    private final AdminAccess access;
    private final WatermarkStore watermarks;
    private final DeadLetterStore deadLetters;
    private final InboxStore inbox;
    private final ChannelRegistry channels;

    public StatusResource(AdminAccess access, WatermarkStore watermarks, DeadLetterStore deadLetters, InboxStore inbox,
            ChannelRegistry channels) {
        this.access = access;
        this.watermarks = watermarks;
        this.deadLetters = deadLetters;
        this.inbox = inbox;
        this.channels = channels;
    }

    public void status(Exchange exchange) throws SQLException {
        if (access.authorized(exchange).isEmpty()) {
            return;
        }
        List<PollState> streams = watermarks.all();
        Map<String, Long> waiting = deadLetters.waitingByProvider();
        Map<String, Long> pending = inbox.pendingByProvider();
        TreeSet<String> providers = new TreeSet<>(waiting.keySet());
        providers.addAll(pending.keySet());
        streams.forEach(stream -> providers.add(stream.provider()));
        channels.all().stream().map(Channel::provider).forEach(providers::add);
        ObjectNode root = AdminAccess.JSON.createObjectNode();
        ArrayNode list = root.putArray("providers");
        for (String provider : providers) {
            ObjectNode entry = list.addObject().put("provider", provider)
                    .put("dead_letters_waiting", waiting.getOrDefault(provider, 0L))
                    .put("webhooks_pending", pending.getOrDefault(provider, 0L));
            ArrayNode polls = entry.putArray("polls");
            streams.stream().filter(stream -> stream.provider().equals(provider)).forEach(stream -> polls.addObject()
                    .put("stream", stream.stream())
                    .put("watermark", AdminAccess.text(stream.watermark()))
                    .put("last_success_at", AdminAccess.text(stream.lastSuccessAt()))
                    .put("last_error", stream.lastError())
                    .put("rows_loaded", stream.rowsLoaded()));
        }
        AdminAccess.respond(exchange, 200, root);
    }
}
