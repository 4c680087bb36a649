package com.dce.etl.observe;

import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.channel.ScheduledChannel;

/**
 * DOWN while a provider refuses a scheduled channel's credentials: that needs a person, unlike a passing outage,
 * which the next run rides out. It looks at the channels declared now, so a reloaded routes file is followed. Each
 * refused channel is a detail ({@code poller-<provider>-<stream>}) carrying its last error.
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
        List<ScheduledChannel> refused = channels.all(ScheduledChannel.class).stream()
                .filter(ScheduledChannel::credentialsRefused).toList();
        if (refused.isEmpty()) {
            builder.up();
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
