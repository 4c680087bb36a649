package com.dce.etl.channel;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.db.SqlFailures;
import com.dce.etl.http.ProviderRefusedCredentials;
import com.dce.etl.observe.PipelineMetrics;
import com.dce.etl.poll.WatermarkStore;

/**
 * The scheduled runs of one channel: never two at once, and each one's outcome recorded in {@code dce_poll_state},
 * the metrics ({@code dce_polls_total}) and the log; a run the provider refused the credentials of is kept for the
 * health check.
 */
public final class RunRecord {
    private static final Logger LOG = LoggerFactory.getLogger(RunRecord.class);

    private final Channel channel;
    private final WatermarkStore state;
    private final PipelineMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile String lastFailure;
    private volatile boolean credentialsRefused;

    public RunRecord(Channel channel, WatermarkStore state, PipelineMetrics metrics) {
        this.channel = channel;
        this.state = state;
        this.metrics = metrics;
    }

    /**
     * Starts a run when the channel is on and its last run is over; false (logged) otherwise. Every start that
     * answered true is ended by {@link #succeeded} or {@link #failed}.
     */
    public boolean tryStart() {
        if (!channel.isOn()) {
            LOG.debug("{} skipped: {} not set", channel.describe(), channel.missingSettings());
            return false;
        }
        if (!running.compareAndSet(false, true)) {
            LOG.info("{} is still running; this trigger is skipped", channel.describe());
            return false;
        }
        return true;
    }

    public boolean isRunning() {
        return running.get();
    }

    /** The run loaded {@code rows}. */
    public void succeeded(long rows) throws SQLException {
        try {
            state.succeeded(channel.provider(), channel.name());
            metrics.poll(channel.provider(), channel.name(), "success");
            lastFailure = null;
            credentialsRefused = false;
            LOG.info("{} loaded {} rows", channel.describe(), rows);
        } finally {
            running.set(false);
        }
    }

    /** The run failed; what it committed stays and the next run goes on from there. */
    public void failed(Exception failure) {
        try {
            credentialsRefused = failure instanceof ProviderRefusedCredentials;
            String reason = failure instanceof SQLException ? SqlFailures.describe(failure) : failure.getMessage();
            lastFailure = reason;
            metrics.poll(channel.provider(), channel.name(), credentialsRefused ? "refused" : "failure");
            LOG.error("{} failed; what was committed stays, the next run goes on from there: {}", channel.describe(),
                    reason);
            try {
                state.failed(channel.provider(), channel.name(), reason);
            } catch (SQLException stateNotSaved) {
                LOG.warn("Could not record the failure in dce_poll_state: {}", SqlFailures.describe(stateNotSaved));
            }
        } finally {
            running.set(false);
        }
    }

    /** Why the last run failed, or null after a success. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Whether the last run ended because the provider refused the credentials: that needs a person. */
    public boolean credentialsRefused() {
        return credentialsRefused;
    }
}
