package com.dce.etl.admin;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.channel.ChannelRuns;
import com.dce.etl.channel.ScheduledChannel;

import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /admin/polls/{provider}/{stream}/run}: starts that poll (or tracker sync) now, on this instance, in the
 * background; 202 when started, 409 when it is running already or switched off.
 */
public final class PollRunResource {
    private static final Logger LOG = LoggerFactory.getLogger(PollRunResource.class);
    private static final Pattern PATH = Pattern.compile("/admin/polls/([^/]+)/([^/]+)/run");

    private final AdminAccess access;
    private final ChannelRegistry channels;
    private final ChannelRuns runs;
    private final ExecutorService background;

    public PollRunResource(AdminAccess access, ChannelRegistry channels, ChannelRuns runs,
            ExecutorService background) {
        this.access = access;
        this.channels = channels;
        this.runs = runs;
        this.background = background;
    }

    public void run(Exchange exchange) {
        Optional<HttpServerRequest> request = access.authorized(exchange);
        if (request.isEmpty()) {
            return;
        }
        Matcher path = PATH.matcher(request.get().path());
        Optional<ScheduledChannel> channel = path.matches()
                ? channels.find(ScheduledChannel.class, path.group(1), path.group(2)) : Optional.empty();
        if (channel.isEmpty()) {
            AdminAccess.respond(exchange, 404,
                    AdminAccess.error("no such poll; see GET /admin/status for provider and stream names"));
            return;
        }
        List<String> missing = channel.get().missingSettings();
        if (!missing.isEmpty()) {
            AdminAccess.respond(exchange, 409, AdminAccess.error(channel.get().describe() + " is off; set "
                    + String.join(", ", missing)));
            return;
        }
        if (channel.get().isRunning()) {
            AdminAccess.respond(exchange, 409, AdminAccess.error(channel.get().describe() + " is running already"));
            return;
        }
        background.submit(() -> {
            try {
                runs.run(channel.get());
            } catch (Exception e) {
                LOG.error("Manual run of {} failed: {}", channel.get().describe(), e.getMessage());
            }
        });
        LOG.info("{} started through the admin API", channel.get().describe());
        AdminAccess.respond(exchange, 202, AdminAccess.JSON.createObjectNode().put("status", "started")
                .put("provider", path.group(1)).put("stream", path.group(2)));
    }
}
