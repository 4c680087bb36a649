package com.dce.etl.config;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.camel.spi.Registry;

import com.dce.etl.admin.AdminAccess;
import com.dce.etl.admin.CallUpdateResource;
import com.dce.etl.http.RequestBudgets;
import com.dce.etl.retry.Backoff;
import com.dce.etl.writeback.CallUpdateDelivery;
import com.dce.etl.writeback.CallUpdateRequests;
import com.dce.etl.writeback.CallUpdateSender;
import com.dce.etl.writeback.CallUpdateStore;
import com.dce.etl.writeback.TableFedUpdates;
import com.dce.etl.writeback.WritebackReplay;

/** The write-back's pieces, bound under the names routes/writeback*.camel.yaml and the admin routes use. */
final class WritebackWiring {
    private WritebackWiring() {
    }

    /** Binds them; the replay of write-back dead letters, for the dead-letter admin resource. */
    static WritebackReplay bind(Registry registry, Settings settings, DataSource dataSource, CallUpdateStore store,
            AdminAccess adminAccess, Backoff backoff, RequestBudgets budgets) {
        Duration timeout = Duration.ofSeconds(settings.getLong("dce.http-client.timeout-seconds", 60));
        CallUpdateSender sender = new CallUpdateSender(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), settings, timeout);
        CallUpdateRequests requests = new CallUpdateRequests(sender.missingSettings().isEmpty() ? Set.of("trackdrive")
                : Set.of());
        registry.bind("callUpdateDelivery", new CallUpdateDelivery(store, sender, budgets.named("trackdrive"), backoff,
                settings.getInt("dce.writeback.max-attempts", 25),
                Duration.ofSeconds(settings.getLong("dce.http-client.max-retry-after-seconds", 300)),
                // a claimed update in flight longer than a request can take was left by an instance that died
                Duration.ofSeconds(settings.getLong("dce.writeback.lease-seconds", timeout.toSeconds() + 30)),
                settings.getInt("dce.writeback.batch-size", 100)));
        registry.bind("callUpdateResource", new CallUpdateResource(adminAccess, requests, store));
        registry.bind("tableFedUpdates", new TableFedUpdates(dataSource, settings, requests, store));
        return new WritebackReplay(requests, store);
    }
}
