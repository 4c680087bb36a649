package com.dce.etl.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import com.dce.etl.reconcile.Reconciliation;
import com.dce.etl.support.FakeTrackDrive;
import com.dce.etl.support.RunningService;

/**
 * {@code GET /status} in headless Chromium (Debian's chromium and chromium-driver) against the running service with
 * real data: provider cards with the right numbers, a backfill, the reconciliation, no console errors, an update after
 * a webhook by the page's own refresh, and no page without the admin token. Leaves target/status-page.png.
 */
class StatusPageBrowserTest {
    private static final String TOKEN = "hook";
    private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    private static FakeTrackDrive trackdrive;
    private static RunningService service;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        trackdrive = new FakeTrackDrive();
        for (int i = 0; i < 150; i++) {
            trackdrive.call(100 + i, DAY + "T" + String.format("%02d:%02d:00Z", 10 + i / 60, i % 60), "4.00");
        }
        String never = "0 0 0 1 1 ? 2099";
        Map<String, String> settings = new HashMap<>(Map.of("dce.trackdrive.base-url", trackdrive.baseUrl(),
                "dce.trackdrive.public-key", "p", "dce.trackdrive.private-key", "k",
                "dce.trackdrive.webhook-token", TOKEN, "dce.trackdrive.poll-cron", never, "dce.admin.token", "adm",
                "dce.status.refresh-seconds", "1", "dce.status.flush-ms", "200", "dce.reconcile-days", "2"));
        settings.putAll(Map.of("dce.reconcile-cron", never, "dce.settle-cron", never, "dce.backfill.tick-ms", "200",
                "dce.trackdrive.backfill-from", DAY + "T00:00:00Z"));
        service = RunningService.start(settings);

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1800");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // Chromium's profile and scratch files under the suite's temporary directory, which the build empties
        Path scratch = Files.createTempDirectory("chromium");
        options.addArguments("--user-data-dir=" + scratch.resolve("profile"));
        // the system's driver: Selenium Manager cannot download one on a machine without internet
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .withEnvironment(Map.of("TMPDIR", scratch.toString())).build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        service.close();
        trackdrive.close();
    }

    private static String url(String credentials) {
        return "http://" + credentials + "127.0.0.1:" + service.port() + "/status";
    }

    private static HttpResponse<String> webhook(String body) throws Exception {
        return service.post("/webhooks/trackdrive?token=" + TOKEN, body, "Content-Type", "application/json");
    }

    private static String figure(String provider, String name) {
        return browser.findElement(By.cssSelector("article[data-provider='" + provider + "'] [data-figure='" + name
                + "'] b")).getText();
    }

    @Test
    void showsTheServiceAsItIsAndFollowsIt() throws Exception {
        assertThat(webhook("{\"id\": 1, \"status\": \"finished\", \"created_at\": \"" + DAY
                + "T22:00:00Z\"}").statusCode()).isEqualTo(202);
        assertThat(webhook("{\"id\": 2, \"total_duration\": \"forever\"}").statusCode()).isEqualTo(202);
        service.runNow("trackdrive", "calls");
        assertThat(service.post("/admin/backfills", "{\"provider\":\"trackdrive\",\"from\":\"" + DAY + "\",\"to\":\""
                + DAY.plusDays(1) + "\"}", "Authorization", "Bearer adm").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> service.db().count("dce_backfills") == 1
                && "done".equals(service.db().row("SELECT status FROM dce_backfills").get("status"))
                && service.db().count("dce_dead_letters") == 1);
        service.bean("reconciliation", Reconciliation.class).run();

        browser.get(url("status:adm@"));
        assertThat(browser.getTitle()).isEqualTo("dce-etl status");
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> figure("trackdrive", "webhooks-hour")
                .equals("2") && figure("trackdrive", "rows-hour").equals("301"));
        assertThat(figure("trackdrive", "webhooks-day")).isEqualTo("2");
        assertThat(figure("trackdrive", "newest-call")).endsWith(" h");
        assertThat(figure("trackdrive", "inbox")).isEqualTo("0");
        assertThat(figure("retreaver", "webhooks-hour")).isEqualTo("0");
        assertThat(browser.findElement(By.cssSelector("article[data-provider='trackdrive'] tr[data-reason="
                + "'MAPPING_ERROR']")).getText()).isEqualTo("MAPPING_ERROR 1");
        assertThat(browser.findElement(By.cssSelector("article[data-provider='retreaver'] tr[data-channel="
                + "'retreaver-webhooks-webhook']")).getText()).isEqualTo("webhooks webhook off: set"
                        + " dce.retreaver.webhook-token");
        assertThat(browser.findElement(By.cssSelector("article[data-provider='trackdrive'] tr[data-stream='calls']"))
                .getText()).contains("last success").contains(DAY + " 12:29:00 UTC").contains("150");
        WebElement backfill = browser.findElement(By.cssSelector("#backfills tr[data-backfill]"));
        assertThat(backfill.getText()).contains("trackdrive calls").contains("done").contains("100%");
        assertThat(backfill.findElement(By.cssSelector(".bar i")).getAttribute("style")).contains("width: 100%");
        assertThat(browser.findElement(By.cssSelector("#reconciliation tr[data-day='" + DAY + "'][data-provider="
                + "'trackdrive']")).getText()).as("the webhook-only call 1 is one more than the provider counts")
                .isEqualTo(DAY + " trackdrive calls extra 150 151 0 0");
        assertThat(browser.findElements(By.cssSelector("article svg.chart polyline"))).hasSizeGreaterThanOrEqualTo(6);
        Files.write(Path.of("target", "status-page.png"), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));

        // a webhook later: the page shows it by its own refresh, without being asked again
        assertThat(webhook("{\"id\": 3, \"status\": \"finished\"}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> figure("trackdrive", "webhooks-hour")
                .equals("3"));

        List<LogEntry> console = browser.manage().logs().get(LogType.BROWSER).getAll();
        assertThat(console).as("browser console").noneMatch(entry -> entry.getLevel().intValue()
                >= Level.WARNING.intValue());
    }

    @Test
    void refusesWithoutTheAdminToken() throws Exception {
        HttpResponse<String> none = service.get("/status");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate"))
                .hasValue("Basic realm=\"dce-etl\", charset=\"UTF-8\"");
        assertThat(none.body()).doesNotContain("<article");
        String wrong = Base64.getEncoder().encodeToString("status:nope".getBytes(StandardCharsets.UTF_8));
        assertThat(service.get("/status", "Authorization", "Basic " + wrong).statusCode()).isEqualTo(401);
        assertThat(service.get("/status", "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
        HttpResponse<String> bearer = service.get("/status", "Authorization", "Bearer adm");
        assertThat(bearer.statusCode()).isEqualTo(200);
        assertThat(bearer.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(bearer.body()).doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");

        // another origin than the other test's, whose credentials the browser keeps
        browser.get("http://localhost:" + service.port() + "/status");
        assertThat(browser.findElements(By.cssSelector("article[data-provider]"))).isEmpty();
    }
}
