package com.dce.etl.observe;

import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.dce.etl.channel.Channel;
import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.channel.ScheduledChannel;

/**
 * DOWN while a provider refuses a scheduled channel's credentials: that needs a person, unlike a passing outage,
 * which the next run rides out. It looks at the channels declared now, so a reloaded routes file is followed. Each
 * refused channel is a detail ({@code poller-<provider>-<stream>}) carrying its last error; every channel is a detail
 * too ({@code <provider>-<name>-<kind>}: {@code on}, or {@code off: set ...}).
 */
public final class ChannelsHealthCheck extends AbstractHealthCheck {
    private final ChannelRegistry channels;

    public ChannelsHealthCheck(ChannelRegistry channels) {
        super("dce", "pollers");
        this.channels = channels;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        // a channel switched off is not a failure, but it is said: "off: set dce.x" among the details
        channels.all().forEach(channel -> builder.detail(channel.id(), channel.isOn() ? "on"
                : "off: set " + String.join(" and ", channel.missingSettings())));
        List<ScheduledChannel> refused = channels.all(ScheduledChannel.class).stream()
                .filter(ScheduledChannel::credentialsRefused).toList();
        if (refused.isEmpty()) {
            List<String> off = channels.all().stream().filter(channel -> !channel.isOn()).map(Channel::id).toList();
            builder.message(off.isEmpty() ? "all channels on" : "off: " + String.join(", ", off)).up();
            return;
        }
        StringBuilder message = new StringBuilder();
        for (ScheduledChannel channel : refused) {
            String id = "poller-" + channel.provider() + "-" + channel.name();
            builder.detail(id, channel.lastFailure());
            message.append(message.length() == 0 ? "" : "; ").append(id).append(": ").append(channel.lastFailure());
        }
        builder.message(message.toString()).down();
    }
}
