package com.dce.etl.tracking;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;

import com.dce.etl.channel.ChannelRegistry;

/** The steps of the sync-trackers route, which walks a {@link TrackerSync.TrackerRead} (the body) page by page. */
public final class TrackerSyncSteps {
    private final ChannelRegistry channels;
    private final AtomicBoolean started = new AtomicBoolean();

    public TrackerSyncSteps(ChannelRegistry channels) {
        this.channels = channels;
    }

    /** The body is a {@link TrackerSync} (the start-up route's): it becomes a new read of it, or the route stops. */
    public void begin(Exchange exchange) {
        exchange.getMessage().getBody(TrackerSync.class).begin(exchange);
    }

    public void storeNextPage(Exchange exchange) throws Exception {
        read(exchange).storeNextPage();
    }

    public void finished(Exchange exchange) throws Exception {
        read(exchange).finish();
    }

    public void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        read(exchange).failed(cause == null ? new IllegalStateException("the sync failed") : cause);
    }

    /**
     * The syncs declared to run once at start-up, for the start-up route to split over; none when a reload of the
     * routes starts that route again.
     */
    public List<TrackerSync> atStart() {
        if (!started.compareAndSet(false, true)) {
            return List.of();
        }
        return channels.all(TrackerSync.class).stream().filter(TrackerSync::atStart).toList();
    }

    private static TrackerSync.TrackerRead read(Exchange exchange) {
        return exchange.getMessage().getBody(TrackerSync.TrackerRead.class);
    }
}
