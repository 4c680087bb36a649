package com.dce.etl.observe;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.dce.etl.poll.ProviderApiJob;

/**
 * DOWN while a poller's provider refuses its credentials: that needs a person, unlike a passing outage, which the next
 * poll rides out. The detail carries the poller's last error.
 */
public final class PollerHealthCheck extends AbstractHealthCheck {
    private final ProviderApiJob poller;

    public PollerHealthCheck(ProviderApiJob poller) {
        super("dce", "poller-" + poller.provider() + "-" + poller.stream());
        this.poller = poller;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (poller.credentialsRefused()) {
            builder.message(poller.lastFailure()).down();
        } else {
            builder.up();
        }
    }
}
