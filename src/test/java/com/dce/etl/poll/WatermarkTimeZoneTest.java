package com.dce.etl.poll;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.support.Db;
import com.dce.etl.support.Fixtures;
import com.dce.etl.support.RunningService;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * A provider whose API writes local times without an offset: the watermark is read in the mapping file's timezone,
 * like the call's own times. Read as UTC, a New York account's watermark would sit five hours early (re-reading) or,
 * east of UTC, late (skipping calls).
 */
class WatermarkTimeZoneTest {
    @TempDir
    Path mappings;

    @Test
    void watermarkTimesWithoutOffsetAreReadInTheMappingFilesZone() throws Exception {
        Fixtures.copyMappings(mappings);
        Path retreaverMapping = mappings.resolve("retreaver.yaml");
        Files.writeString(retreaverMapping, Files.readString(retreaverMapping)
                .replace("timezone: UTC", "timezone: America/New_York"));
        WireMockServer retreaver = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        retreaver.start();
        retreaver.stubFor(get(urlPathEqualTo("/api/v2/calls.json")).willReturn(aResponse().withBody(
                "[{\"call\": {\"uuid\": \"ny-1\", \"status\": \"finished\", \"created_at\": \"2026-11-20 10:00:00\","
                        + " \"start_time\": \"2026-11-20 10:00:00\"}}]")));
        try (RunningService service = RunningService.start(Map.of("dce.mappings.dir", mappings.toString(),
                "dce.retreaver.base-url", retreaver.baseUrl(), "dce.retreaver.api-key", "k",
                "dce.retreaver.company-id", "1", "dce.retreaver.backfill-from", "2026-11-20T14:00:00Z",
                "dce.retreaver.poll-cron", "0 0 0 1 1 ? 2099"))) {
            service.runNow("retreaver", "calls-created");
            Db db = service.db();
            assertThat(db.row("SELECT call_start_time FROM dce_calls").get("call_start_time"))
                    .isEqualTo(OffsetDateTime.parse("2026-11-20T15:00:00Z"));
            assertThat(db.row("SELECT watermark FROM dce_poll_state WHERE stream = 'calls-created'").get("watermark"))
                    .as("10:00 in New York").isEqualTo(OffsetDateTime.parse("2026-11-20T15:00:00Z"));
        } finally {
            retreaver.stop();
        }
    }
}
