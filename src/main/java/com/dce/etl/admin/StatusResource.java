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
import com.dce.etl.poll.PollStream;
import com.dce.etl.poll.WatermarkStore;
import com.dce.etl.writeback.CallUpdateStore;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code GET /admin/status}: per provider, its poll streams, dead letters waiting and webhooks not yet loaded. */
public final class StatusResource {
    private final AdminAccess access;
    private final WatermarkStore watermarks;
    private final DeadLetterStore deadLetters;
    private final InboxStore inbox;
    private final ChannelRegistry channels;
    private final CallUpdateStore callUpdates;

    public StatusResource(AdminAccess access, WatermarkStore watermarks, DeadLetterStore deadLetters, InboxStore inbox,
            ChannelRegistry channels, CallUpdateStore callUpdates) {
        this.access = access;
        this.watermarks = watermarks;
        this.deadLetters = deadLetters;
        this.inbox = inbox;
        this.channels = channels;
        this.callUpdates = callUpdates;
    }

    public void status(Exchange exchange) throws SQLException {
        if (access.authorized(exchange).isEmpty()) {
            return;
        }
        List<PollState> streams = watermarks.all();
        Map<String, Long> waiting = deadLetters.waitingByProvider();
        Map<String, Long> pending = inbox.pendingByProvider();
        Map<String, Map<String, Long>> updates = callUpdates.countsByProvider();
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
            ObjectNode writebacks = entry.putObject("call_updates");
            Map<String, Long> byStatus = updates.getOrDefault(provider, Map.of());
            for (String status : List.of("pending", "sending", "sent", "dead")) {
                writebacks.put(status, byStatus.getOrDefault(status, 0L));
            }
            ArrayNode declared = entry.putArray("channels");
            channels.all().stream().filter(channel -> channel.provider().equals(provider)).forEach(channel ->
                    declared.addObject().put("channel", channel.id()).put("kind", channel.kind())
                            .put("name", channel.name()).put("state", channel.isOn() ? "on" : "off")
                            .put("off_reason", offReason(channel)));
            ArrayNode polls = entry.putArray("polls");
            streams.stream().filter(stream -> stream.provider().equals(provider)).forEach(stream -> polls.addObject()
                    .put("stream", stream.stream())
                    .put("state", channels.find(PollStream.class, provider, stream.stream())
                            .map(declaredStream -> declaredStream.isOn() ? "on" : "off").orElse("not declared"))
                    .put("watermark", AdminAccess.text(stream.watermark()))
                    .put("last_success_at", AdminAccess.text(stream.lastSuccessAt()))
                    .put("last_error", stream.lastError())
                    .put("rows_loaded", stream.rowsLoaded()));
            // declared streams that never ran still have a line: off (and why), or on and waiting for their schedule
            channels.all(PollStream.class).stream().filter(stream -> stream.provider().equals(provider))
                    .filter(stream -> streams.stream().noneMatch(state -> state.provider().equals(provider)
                            && state.stream().equals(stream.stream())))
                    .forEach(stream -> polls.addObject().put("stream", stream.stream())
                            .put("state", stream.isOn() ? "on" : "off").put("off_reason", offReason(stream))
                            .putNull("watermark").putNull("last_success_at").putNull("last_error")
                            .put("rows_loaded", 0));
        }
        AdminAccess.respond(exchange, 200, root);
    }

    /** "set dce.x and dce.y", or null when the channel is on. */
    static String offReason(Channel channel) {
        return channel.isOn() ? null : "set " + String.join(" and ", channel.missingSettings());
    }
}
