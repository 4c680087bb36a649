package com.dce.etl.channel;

import org.apache.camel.Exchange;

/** A channel that runs on a schedule (a poll stream, a tracker sync) and can also be run now. */
public interface ScheduledChannel extends Channel {

    /** Starts a run: the body becomes what {@link #runRoute()} walks, or the exchange's route is stopped. */
    void begin(Exchange exchange) throws Exception;

    /** The route that walks a run once {@link #begin} made it. */
    String runRoute();

    boolean isRunning();

    /** Why the last run failed, or null after a success. */
    String lastFailure();

    /** Whether the last run ended because the provider refused the credentials: that needs a person. */
    boolean credentialsRefused();
}
