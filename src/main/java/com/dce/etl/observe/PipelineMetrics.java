package com.dce.etl.observe;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.dce.etl.channel.Channel;
import com.dce.etl.mapping.ReasonCode;
import com.dce.etl.status.ActivityCounters;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Per-provider counters for {@code /observe/metrics} (Prometheus names in brackets): calls received
 * ({@code dce_calls_received_total}), loaded ({@code dce_calls_loaded_total}), dead-lettered
 * ({@code dce_calls_dead_lettered_total}), with an unmapped status ({@code dce_calls_unknown_status_total}),
 * webhook answers ({@code dce_webhooks_total}) and poll runs ({@code dce_polls_total}).
 */
public final class PipelineMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> missingCalls = new ConcurrentHashMap<>();

    private final ActivityCounters activity;

    /** {@code activity}: the hourly counts of the status page, fed from the same events. */
    public PipelineMetrics(MeterRegistry registry, ActivityCounters activity) {
        this.registry = registry;
        this.activity = activity;
    }

    /**
     * Creates a channel's series at zero when it is declared, so a dashboard or an alert sees every provider from
     * start-up (and a poller that is off still has its {@code dce_polls_total}), not only after its first event.
     */
    public void declare(Channel channel) {
        String provider = channel.provider();
        String kind = channel.kind();
        String ingest = kind.equals("webhook") ? "webhook" : "poll";
        received(provider, ingest, 0);
        loaded(provider, ingest, 0);
        for (ReasonCode reason : ReasonCode.values()) {
            Counter.builder("dce.calls.dead.lettered").description("Records sent to dce_dead_letters")
                    .tag("provider", provider).tag("channel", ingest).tag("reason", reason.name())
                    .register(registry);
        }
        Counter.builder("dce.calls.unknown.status").description("Calls whose provider status is not in the mapping")
                .tag("provider", provider).register(registry);
        if (kind.equals("webhook")) {
            counter("dce.webhooks", "Webhook requests by answer", provider, "status", "202");
        } else {
            for (String outcome : List.of("success", "failure", "refused")) {
                Counter.builder("dce.polls").description("Poll runs by outcome").tag("provider", provider)
                        .tag("stream", channel.name()).tag("outcome", outcome).register(registry);
            }
            missingCalls.computeIfAbsent(provider, this::missingGauge);
        }
    }

    public void received(String provider, String channel, int count) {
        counter("dce.calls.received", "Records received from a provider", provider, "channel", channel)
                .increment(count);
    }

    public void loaded(String provider, String channel, int count) {
        activity.rowsWritten(provider, count);
        counter("dce.calls.loaded", "Calls written to dce_calls", provider, "channel", channel).increment(count);
    }

    public void deadLettered(String provider, String channel, String reason) {
        Counter.builder("dce.calls.dead.lettered").description("Records sent to dce_dead_letters")
                .tag("provider", provider).tag("channel", channel).tag("reason", reason)
                .register(registry).increment();
    }

    public void unknownStatus(String provider) {
        Counter.builder("dce.calls.unknown.status").description("Calls whose provider status is not in the mapping")
                .tag("provider", provider).register(registry).increment();
    }

    public void webhook(String provider, int httpStatus) {
        if (httpStatus == 202) {
            activity.webhookAccepted(provider);
        }
        counter("dce.webhooks", "Webhook requests by answer", provider, "status", Integer.toString(httpStatus))
                .increment();
    }

    public void poll(String provider, String stream, String outcome) {
        Counter.builder("dce.polls").description("Poll runs by outcome")
                .tag("provider", provider).tag("stream", stream).tag("outcome", outcome)
                .register(registry).increment();
    }

    /** The calls the provider counts and the service has neither stored nor dead-lettered, over the days checked. */
    public void reconciliationMissing(String provider, long missing) {
        missingCalls.computeIfAbsent(provider, this::missingGauge).set(missing);
    }

    private AtomicLong missingGauge(String provider) {
        AtomicLong value = new AtomicLong();
        Gauge.builder("dce.reconciliation.missing.calls", value, AtomicLong::get)
                .description("Calls the provider counts that are neither stored nor dead-lettered")
                .tag("provider", provider).register(registry);
        return value;
    }

    private Counter counter(String name, String description, String provider, String tag, String value) {
        return Counter.builder(name).description(description).tag("provider", provider).tag(tag, value)
                .register(registry);
    }
}
