package com.dce.etl.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dce.etl.support.RunningService;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * A CallRail count costs one request per day checked, from the same budget as its polls: with 3 requests left for the
 * day, a reconciliation of 7 days asks 3 times, records those days, and leaves the rest to the next run.
 */
class ReconciliationBudgetTest {
    private static final String CALLS = "/v3/a/ACC9/calls.json";

    @Test
    void countsSpendTheDailyRequestBudgetAndStopWhenItIsUsedUp() throws Exception {
        WireMockServer callrail = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        callrail.start();
        callrail.stubFor(get(urlPathEqualTo(CALLS)).willReturn(aResponse().withHeader("Content-Type",
                "application/json").withBody("{\"calls\":[],\"page\":1,\"per_page\":1,\"total_pages\":4,"
                        + "\"total_records\":4}")));
        String never = "0 0 0 1 1 ? 2099";
        Map<String, String> settings = new HashMap<>(Map.of("dce.callrail.base-url", callrail.baseUrl(),
                "dce.callrail.api-key", "key", "dce.callrail.account-id", "ACC9", "dce.callrail.poll-cron", never,
                "dce.callrail.tracker-sync-cron", never, "dce.callrail.tracker-sync-at-start", "false",
                "dce.callrail.requests-per-day", "3", "dce.reconcile-days", "7", "dce.reconcile-cron", never,
                "dce.http-client.max-budget-wait-seconds", "1"));
        settings.put("dce.settle-cron", never);
        try (RunningService service = RunningService.start(settings)) {
            service.bean("reconciliation", Reconciliation.class).run();

            callrail.verify(3, getRequestedFor(urlPathEqualTo(CALLS)).withQueryParam("per_page", equalTo("1")));
            assertThat(service.db().rows("SELECT provider_count, stored_count, status FROM dce_reconciliation"))
                    .hasSize(3).allSatisfy(day -> assertThat(day).containsEntry("provider_count", 4L)
                            .containsEntry("status", "healing"));
            assertThat(service.db().count("dce_backfills")).as("one heal per missing day checked").isEqualTo(3);
        } finally {
            callrail.stop();
        }
    }
}
