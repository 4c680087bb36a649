package com.dce.etl.config;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.admin.AdminApi;
import com.dce.etl.db.Database;
import com.dce.etl.db.SqlDialect;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.inbox.InboxSteps;
import com.dce.etl.inbox.InboxStore;
import com.dce.etl.inbox.InboxWriter;
import com.dce.etl.mapping.MappingCatalog;
import com.dce.etl.observe.DatabaseHealthCheck;
import com.dce.etl.observe.PipelineMetrics;
import com.dce.etl.observe.PollerHealthCheck;
import com.dce.etl.pipeline.EnrichCallsStep;
import com.dce.etl.pipeline.MapCallsStep;
import com.dce.etl.pipeline.UpsertCallsStep;
import com.dce.etl.poll.ProviderApiJob;
import com.dce.etl.poll.RequestBudgets;
import com.dce.etl.poll.HttpPageFetcher;
import com.dce.etl.poll.WatermarkStore;
import com.dce.etl.retry.Backoff;
import com.dce.etl.retry.RetryPolicy;
import com.dce.etl.sink.CallWriter;
import com.dce.etl.tracking.StoredCallEnricher;
import com.dce.etl.tracking.TrackingNumberStore;
import com.dce.etl.webhook.WebhookAvailabilityGuard;
import com.dce.etl.webhook.WebhookHeaderFilter;
import com.zaxxer.hikari.HikariDataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;

/**
 * Creates the shared pieces at start-up, before the routes files are read, and binds them under the names routes
 * use: {@code mapCalls}, {@code enrichCalls}, {@code upsertCalls}, {@code inboxSteps}, {@code webhookHeaders},
 * {@code adminApi}, {@code dceServices}.
 * Configuration mistakes (bad mapping file, cron, database URL) fail here, naming the key and the reason.
 */
public final class DceWiring implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(DceWiring.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent());
        CronSettings.validate(context.getPropertiesComponent(), settings);
        MappingCatalog mappings = MappingCatalog.load(Path.of(settings.get("dce.mappings.dir", "config/mappings")));

        String url = settings.get("dce.db.url", Database.DEFAULT_URL);
        SqlDialect dialect = SqlDialect.forUrl(url);
        HikariDataSource dataSource = Database.open(settings);
        InboxWriter inboxWriter = new InboxWriter(dataSource,
                Duration.ofMillis(settings.getLong("dce.db.connection-timeout-ms", 3000) + 2000));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws InterruptedException {
                inboxWriter.close();
                dataSource.close();
            }
        });
        Database.migrate(dataSource, url, settings.getInt("dce.db.connect-retries", 10));
        ClusteredScheduler.configure(context, settings, dataSource, url);

        PipelineMetrics metrics = new PipelineMetrics(meterRegistry(context));
        Backoff backoff = new Backoff(Duration.ofMillis(settings.getLong("dce.retry.initial-delay-ms", 1000)),
                Duration.ofMillis(settings.getLong("dce.retry.max-delay-ms", 300_000)));
        DeadLetterStore deadLetters = new DeadLetterStore(dataSource);
        InboxStore inbox = new InboxStore(dataSource,
                Duration.ofSeconds(settings.getLong("dce.inbox.lease-seconds", 30)), backoff);
        HttpPageFetcher fetcher = new HttpPageFetcher(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), backoff,
                settings.getInt("dce.http-client.max-attempts", 6),
                Duration.ofSeconds(settings.getLong("dce.http-client.timeout-seconds", 60)),
                Duration.ofSeconds(settings.getLong("dce.http-client.max-retry-after-seconds", 300)));
        TrackingNumberStore trackingNumbers = new TrackingNumberStore(dataSource);
        DceServices services = new DceServices(settings, dataSource, inboxWriter, inbox, deadLetters,
                new WatermarkStore(dataSource), trackingNumbers, metrics, fetcher, new RequestBudgets(settings), backoff,
                context.createProducerTemplate(),
                // pollers fetch and map their next page here; Camel shuts it down with the context, and pollers
                // re-created by a routes-file reload share it instead of each leaving a thread behind
                context.getExecutorServiceManager().newCachedThreadPool(this, "page-prefetch"), mappings,
                new StoredCallEnricher(dataSource, trackingNumbers));

        Registry registry = context.getRegistry();
        // the HTTP server runs each request on a Vert.x worker thread until its 202; with more workers than Vert.x's
        // 20, more concurrent webhooks share one inbox commit instead of queueing for a thread
        registry.bind("vertxOptions", new VertxOptions()
                .setWorkerPoolSize(settings.getInt("dce.http.worker-threads", 64)));
        registry.bind(DceServices.NAME, services);
        registry.bind("dataSource", dataSource);
        registry.bind("mapCalls", new MapCallsStep(mappings, metrics));
        registry.bind("enrichCalls", new EnrichCallsStep(trackingNumbers));
        // two writers of one call at once: the loser is redone from its records within milliseconds, not backed off
        // like an outage (a burst of 10,400 webhooks on 2 workers met a few dozen such conflicts)
        RetryPolicy conflictRetry = new RetryPolicy(new Backoff(Duration.ofMillis(5), Duration.ofMillis(200)), 10);
        registry.bind("upsertCalls", new UpsertCallsStep(new CallWriter(dataSource, dialect, conflictRetry), metrics));
        registry.bind("inboxSteps", new InboxSteps(inbox, settings.getInt("dce.inbox.max-attempts", 25),
                settings.getInt("dce.inbox.batch-size", 200)));
        registry.bind("webhookHeaders", new WebhookHeaderFilter());
        registry.bind("adminApi", new AdminApi(context));

        WebhookAvailabilityGuard.install(context, settings.getInt("dce.http.port", 8080));

        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        health.register(new DatabaseHealthCheck(dataSource));
        context.addStartupListener((started, alreadyStarted) -> reportProviders(started, health));
    }

    /** The registry that /observe/metrics serves: Camel's when camel.metrics set it up already, else a new one. */
    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry existing = context.getRegistry()
                .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }

    /** One line per provider piece: on, or off with the settings it lacks. Also checks their declarations. */
    private static void reportProviders(CamelContext context, HealthCheckRegistry health) {
        for (ProviderSwitch piece : context.getRegistry().findByType(ProviderSwitch.class)) {
            piece.validate();
            if (piece.missingSettings().isEmpty()) {
                LOG.info("{}: on", piece.describe());
            } else {
                LOG.info("{}: off, set {} to turn it on", piece.describe(), String.join(" and ", piece.missingSettings()));
            }
        }
        for (ProviderApiJob poller : context.getRegistry().findByType(ProviderApiJob.class)) {
            health.register(new PollerHealthCheck(poller));
        }
    }
}
