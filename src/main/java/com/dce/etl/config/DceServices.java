package com.dce.etl.config;

import java.util.concurrent.ExecutorService;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.inbox.InboxStore;
import com.dce.etl.inbox.InboxWriter;
import com.dce.etl.mapping.MappingCatalog;
import com.dce.etl.observe.PipelineMetrics;
import com.dce.etl.poll.HttpPageFetcher;
import com.dce.etl.poll.RequestBudgets;
import com.dce.etl.poll.WatermarkStore;
import com.dce.etl.retry.Backoff;
import com.dce.etl.tracking.StoredCallEnricher;
import com.dce.etl.tracking.TrackingNumberStore;

/**
 * The shared services, created once at start-up, that the beans declared in routes files (webhook receivers, pollers)
 * use; those beans find it in the registry, so a routes file declares only what is particular to its provider.
 */
public record DceServices(Settings settings, DataSource dataSource, InboxWriter inboxWriter, InboxStore inbox,
        DeadLetterStore deadLetters,
        WatermarkStore watermarks, TrackingNumberStore trackingNumbers, PipelineMetrics metrics,
        HttpPageFetcher fetcher, RequestBudgets budgets, Backoff backoff, ProducerTemplate producer,
        ExecutorService pagePrefetch, MappingCatalog mappings, StoredCallEnricher storedCallEnricher) {

    public static final String NAME = "dceServices";

    public static DceServices of(CamelContext context) {
        DceServices services = context.getRegistry().lookupByNameAndType(NAME, DceServices.class);
        if (services == null) {
            throw new IllegalStateException("dceServices is not in the registry: start the service through DceMain");
        }
        return services;
    }
}
