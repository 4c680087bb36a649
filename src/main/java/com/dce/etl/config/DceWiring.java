package com.dce.etl.config;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.admin.AdminAccess;
import com.dce.etl.admin.BackfillResource;
import com.dce.etl.admin.DeadLetterResource;
import com.dce.etl.admin.PollRunResource;
import com.dce.etl.admin.ReconciliationResource;
import com.dce.etl.admin.StatusPageResource;
import com.dce.etl.admin.StatusResource;
import com.dce.etl.backfill.BackfillRequests;
import com.dce.etl.backfill.BackfillRunner;
import com.dce.etl.backfill.BackfillStore;
import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.channel.ChannelRuns;
import com.dce.etl.db.Database;
import com.dce.etl.db.DatabaseWait;
import com.dce.etl.db.SqlDialect;
import com.dce.etl.db.SqlFailures;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.http.AnswerHeaderFilter;
import com.dce.etl.http.GuardedHttpServers;
import com.dce.etl.http.HttpLimits;
import com.dce.etl.http.ProviderHttpClient;
import com.dce.etl.http.RequestBudgets;
import com.dce.etl.inbox.InboxHandoff;
import com.dce.etl.inbox.InboxSteps;
import com.dce.etl.inbox.InboxStore;
import com.dce.etl.inbox.InboxWriter;
import com.dce.etl.mapping.MappingCatalog;
import com.dce.etl.observe.ChannelsHealthCheck;
import com.dce.etl.observe.DatabaseHealthCheck;
import com.dce.etl.observe.PipelineMetrics;
import com.dce.etl.pipeline.EnrichCallsStep;
import com.dce.etl.pipeline.ErrorsAsFailures;
import com.dce.etl.pipeline.MapCallsStep;
import com.dce.etl.pipeline.UpsertCallsStep;
import com.dce.etl.poll.ReadPagesSteps;
import com.dce.etl.poll.WatermarkStore;
import com.dce.etl.reconcile.Reconciliation;
import com.dce.etl.reconcile.ReconciliationStore;
import com.dce.etl.reconcile.SettleRuns;
import com.dce.etl.retry.Backoff;
import com.dce.etl.retry.RetryPolicy;
import com.dce.etl.sink.CallWriter;
import com.dce.etl.status.ActivityCounters;
import com.dce.etl.status.StatusQueries;
import com.dce.etl.tracking.StoredCallEnricher;
import com.dce.etl.tracking.TrackerSyncSteps;
import com.dce.etl.tracking.TrackingNumberStore;
import com.dce.etl.webhook.WebhookAvailabilityGuard;
import com.dce.etl.webhook.WebhookComponent;
import com.dce.etl.writeback.CallUpdateStore;
import com.dce.etl.writeback.WritebackReplay;
import com.zaxxer.hikari.HikariDataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Creates the shared pieces at start-up, before the routes files are read, and binds them in Camel's registry under
 * the names routes and route templates refer to ({@code #bean:settings}, {@code ref: upsertCalls}, ...).
 * Configuration mistakes (a bad mapping file, a setting, the database URL) fail here, naming the key and the reason.
 */
public final class DceWiring implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(DceWiring.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent());
        // validate: the same checks, but no port taken and the schema tried on a database of its own
        boolean checkOnly = Boolean.parseBoolean(settings.get("dce.check-only", "false"));
        StartupChecks.run(context.getPropertiesComponent(), settings, !checkOnly);
        MappingCatalog mappings = MappingCatalog.load(Path.of(settings.get("dce.mappings.dir", "config/mappings")));

        String url = settings.get("dce.db.url", Database.DEFAULT_URL);
        SqlDialect dialect = SqlDialect.forUrl(url);
        if (checkOnly) {
            url = "jdbc:h2:mem:dce-validate-" + ProcessHandle.current().pid();
            dialect = SqlDialect.forUrl(url);
        }
        HikariDataSource dataSource = Database.open(settings, url);
        // passing faults (provider 5xx/429/timeouts, database down): exponential backoff with jitter
        Backoff backoff = new Backoff(Duration.ofMillis(settings.getLong("dce.retry.initial-delay-ms", 1000)),
                Duration.ofMillis(settings.getLong("dce.retry.max-delay-ms", 300_000)));
        DeadLetterStore deadLetters = new DeadLetterStore(dataSource, dialect);
        Duration inboxLease = Duration.ofSeconds(settings.getLong("dce.inbox.lease-seconds", 30));
        InboxStore inbox = new InboxStore(dataSource, inboxLease, backoff, deadLetters);
        int inboxBatch = settings.getInt("dce.inbox.batch-size", 200);
        // room for every worker's next batch while each loads one
        InboxHandoff handoff = new InboxHandoff(2 * inboxBatch * settings.getInt("dce.inbox.workers", 2), inboxLease,
                Clock.systemUTC());
        InboxWriter inboxWriter = new InboxWriter(dataSource, dialect,
                Duration.ofMillis(settings.getLong("dce.db.connection-timeout-ms", 3000) + 2000), handoff);
        long compactAfterIdle = settings.getLong("dce.db.h2.compact-after-idle-seconds", 60);
        if (compactAfterIdle < 0) {
            throw new ConfigurationException("dce.db.h2.compact-after-idle-seconds: " + compactAfterIdle
                    + " is negative (0 turns compaction while idle off)");
        }
        // validate's database is in memory and gone with it
        AutoCloseable storageUpkeep = dialect.storageUpkeep(dataSource,
                Duration.ofSeconds(checkOnly ? 0 : compactAfterIdle));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                storageUpkeep.close();
                inboxWriter.close();
                releaseHandedOver(inbox, handoff);
                dataSource.close();
            }
        });
        DatabaseWait.until(dataSource, url, Duration.ofSeconds(settings.getLong("dce.db.startup-timeout-seconds", 60)));
        Database.migrate(dataSource, url);
        adviseOnServer(dialect, dataSource);
        ClusteredScheduler.configure(context, settings, dataSource, url);

        ActivityCounters activity = new ActivityCounters(dataSource);
        PipelineMetrics metrics = new PipelineMetrics(meterRegistry(context), activity);
        RetryPolicy providerRetry = new RetryPolicy(backoff, settings.getInt("dce.http-client.max-attempts", 6),
                Duration.ofSeconds(settings.getLong("dce.http-client.max-retry-after-seconds", 300)));
        WatermarkStore watermarks = new WatermarkStore(dataSource, dialect);
        TrackingNumberStore trackingNumbers = new TrackingNumberStore(dataSource, dialect);
        ChannelRegistry channels = new ChannelRegistry(metrics::declare);
        ProducerTemplate producer = context.createProducerTemplate();
        AdminAccess adminAccess = new AdminAccess(settings);

        Registry registry = context.getRegistry();
        registry.bind("activityCounters", activity);
        // platform-http runs each request of its routes (admin API, status page) on a worker until its answer;
        // webhooks run on the event loops (WebhookConsumer)
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(settings.getInt("dce.http.worker-threads", 20)));
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                // after the HTTP server that runs on it has stopped
                vertx.close();
            }
        });
        int port = settings.getInt("dce.http.port", 8080);
        WebhookAvailabilityGuard webhookGuard = WebhookAvailabilityGuard.install(context, port);
        registry.bind("dce-webhook", new WebhookComponent(port));
        HttpLimits httpLimits = HttpLimits.from(settings);
        registry.bind("httpLimits", httpLimits);
        registry.bind("vertx", GuardedHttpServers.around(vertx, httpLimits, webhookGuard::inFrontOf));
        registry.bind("settings", settings);
        registry.bind("dataSource", dataSource);
        registry.bind("mappings", mappings);
        registry.bind("channels", channels);
        registry.bind("producer", producer);
        registry.bind("pipelineMetrics", metrics);
        registry.bind("inboxWriter", inboxWriter);
        registry.bind("watermarks", watermarks);
        registry.bind("trackingNumbers", trackingNumbers);
        registry.bind("storedCallEnricher", new StoredCallEnricher(dataSource, trackingNumbers));
        registry.bind("providerHttp", new ProviderHttpClient(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), providerRetry,
                Duration.ofSeconds(settings.getLong("dce.http-client.timeout-seconds", 60))));
        RequestBudgets budgets = new RequestBudgets(settings);
        registry.bind("requestBudgets", budgets);
        // pages are fetched and mapped ahead here; Camel shuts the pool down with the context, and streams re-created
        // by a routes-file reload share it instead of each leaving a thread behind
        registry.bind("pagePrefetch", context.getExecutorServiceManager().newCachedThreadPool(this, "page-prefetch"));
        registry.bind("mapCalls", new ErrorsAsFailures(new MapCallsStep(mappings, metrics)));
        registry.bind("enrichCalls", new ErrorsAsFailures(new EnrichCallsStep(trackingNumbers)));
        registry.bind("upsertCalls", new ErrorsAsFailures(new UpsertCallsStep(
                new CallWriter(dataSource, dialect, CallWriter.CONFLICT_RETRY, deadLetters), metrics)));
        // half the sweep's period, so that every sweep's wake-up looks in the table whatever the timers' jitter
        registry.bind("inboxSteps", new InboxSteps(inbox, handoff, settings.getInt("dce.inbox.max-attempts", 25),
                inboxBatch, Duration.ofMillis(settings.getLong("dce.inbox.sweep-interval-ms", 2000) / 2)));
        registry.bind("readPages", new ReadPagesSteps());
        registry.bind("trackerSyncSteps", new TrackerSyncSteps(channels));
        registry.bind("answerHeaders", new AnswerHeaderFilter());
        CallUpdateStore callUpdates = new CallUpdateStore(dataSource, deadLetters);
        WritebackReplay writeback = WritebackWiring.bind(registry, settings, dataSource, callUpdates, adminAccess,
                backoff, budgets);
        registry.bind("deadLetterResource", new DeadLetterResource(adminAccess, deadLetters, producer, writeback));
        registry.bind("statusResource", new StatusResource(adminAccess, watermarks, deadLetters, inbox, channels,
                callUpdates));
        BackfillStore backfills = new BackfillStore(dataSource);
        BackfillRunner backfillRunner = new BackfillRunner(backfills, channels, context, producer,
                context.getExecutorServiceManager().newCachedThreadPool(this, "backfill"),
                settings.getInt("dce.backfill.concurrency", 2),
                Duration.ofSeconds(settings.getLong("dce.backfill.lease-seconds", 60)));
        ReconciliationStore reconciliationStore = new ReconciliationStore(dataSource);
        Reconciliation reconciliation = new Reconciliation(channels, reconciliationStore, backfills, settings,
                metrics);
        backfillRunner.onEnd(reconciliation::backfillEnded);
        registry.bind("backfillRunner", backfillRunner);
        registry.bind("settleRuns", new SettleRuns(channels, backfills, settings));
        registry.bind("reconciliation", reconciliation);
        registry.bind("backfillResource", new BackfillResource(adminAccess, new BackfillRequests(channels, backfills),
                backfills));
        registry.bind("statusPageResource", new StatusPageResource(adminAccess, settings, new StatusQueries(dataSource),
                channels, watermarks, inbox, backfills, reconciliationStore, callUpdates));
        registry.bind("reconciliationResource", new ReconciliationResource(adminAccess, reconciliationStore,
                settings));
        registry.bind("pollRunResource", new PollRunResource(adminAccess, channels, new ChannelRuns(context, producer),
                context.getExecutorServiceManager().newCachedThreadPool(this, "admin-poll-run")));

        // the routes files are checked before Camel reads them, and again before a saved edit replaces them
        RoutesCheck routes = new RoutesCheck(context,
                settings.get("camel.main.routes-include-pattern", "file:routes/*.camel.yaml"));
        routes.check();
        if (Boolean.parseBoolean(settings.get("dce.routes.reload-enabled", "true"))) {
            context.addService(new CheckedRouteReload(settings.get("dce.routes.dir", "routes"), routes));
        }

        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        health.register(new DatabaseHealthCheck(dataSource));
        health.register(new ChannelsHealthCheck(channels));
    }

    /** The server's settings that held webhooks up in the benchmark, said once at start; never stops the start. */
    private static void adviseOnServer(SqlDialect dialect, HikariDataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            dialect.serverAdvice(connection).forEach(LOG::warn);
        } catch (SQLException e) {
            LOG.debug("The database server's settings not read: {}", SqlFailures.describe(e));
        }
    }

    /** Entries handed over that no worker took are due again at once, not after their lease (best effort). */
    private static void releaseHandedOver(InboxStore inbox, InboxHandoff handoff) {
        List<InboxHandoff.Lease> left = handoff.drain();
        try {
            inbox.release(left);
        } catch (SQLException e) {
            LOG.warn("{} stored webhooks are loaded when their lease ends, not at once: {}", left.size(),
                    SqlFailures.describe(e));
        }
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
}
