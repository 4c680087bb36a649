package com.dce.etl.poll;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.config.ConfigurationException;
import com.dce.etl.config.DceServices;
import com.dce.etl.config.ProviderSwitch;
import com.dce.etl.config.Settings;
import com.dce.etl.db.SqlFailures;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A scheduled job against one list endpoint of a provider's API, declared as a bean in the provider's routes file:
 * where the endpoint is ({@code dce.<provider>.base-url} + {@code path}, where {@code {dce.some.key}} is replaced by
 * that setting), which credentials it takes (Basic, a CallRail-style token header, or query parameters, each naming
 * the settings that hold them), how it is paged, and which request budget it spends. It runs only when all those
 * settings are set, never twice at once, and records each run's outcome in {@code dce_poll_state} and the metrics.
 */
public abstract class ProviderApiJob implements CamelContextAware, ProviderSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderApiJob.class);
    private static final Pattern SETTING_IN_PATH = Pattern.compile("\\{(dce\\.[a-z0-9.-]+)}");

    private CamelContext camelContext;
    private String provider;
    private String stream;
    private String path;
    private String query = "";
    private String pagination = "page-number";
    private String recordsField;
    private String basicUserSetting;
    private String basicPasswordSetting;
    private String tokenHeaderSetting;
    private String queryCredentials;
    private String requestBudget;

    private final AtomicBoolean running = new AtomicBoolean();
    private volatile String lastFailure;
    private volatile boolean credentialsRefused;

    /** The job's work; returns the number of rows it loaded. */
    protected abstract int work(DceServices services) throws PollFailure, SQLException, InterruptedException;

    /** One run now; skipped when the job is off (settings missing) or already running. */
    public final void run() throws Exception {
        List<String> missing = missingSettings();
        if (!missing.isEmpty()) {
            LOG.debug("{} skipped: {} not set", describe(), missing);
            return;
        }
        if (!running.compareAndSet(false, true)) {
            LOG.info("{} is still running; this trigger is skipped", describe());
            return;
        }
        DceServices services = services();
        try {
            int rows = work(services);
            services.watermarks().succeeded(provider, stream);
            services.metrics().poll(provider, stream, "success");
            lastFailure = null;
            credentialsRefused = false;
            LOG.info("{} loaded {} rows", describe(), rows);
        } catch (PollFailure e) {
            credentialsRefused = e instanceof ProviderRefusedCredentials;
            fail(services, e, credentialsRefused ? "refused" : "failure");
        } catch (SQLException e) {
            // the database is away: this run is over, the next one starts again from the watermark
            fail(services, e, "failure");
        } catch (RuntimeException e) {
            fail(services, e, "failure");
            throw e;
        } finally {
            running.set(false);
        }
    }

    private void fail(DceServices services, Exception e, String outcome) {
        lastFailure = e instanceof SQLException ? SqlFailures.describe(e) : e.getMessage();
        services.metrics().poll(provider, stream, outcome);
        String reason = e instanceof SQLException ? SqlFailures.describe(e) : e.getMessage();
        LOG.error("{} failed; what was committed stays, the next run goes on from there: {}", describe(), reason);
        try {
            services.watermarks().failed(provider, stream, lastFailure);
        } catch (SQLException stateNotSaved) {
            LOG.warn("Could not record the failure in dce_poll_state: {}", stateNotSaved.getMessage());
        }
    }

    /** The first page's URI with the given extra query parameters (a since filter, say). */
    protected URI firstPage(Settings settings, Map<String, String> parameters) {
        String base = settings.require("dce." + provider + ".base-url");
        URI uri = URI.create(stripTrailingSlash(base) + resolvedPath(settings) + (query.isBlank() ? "" : "?" + query));
        for (Map.Entry<String, String> credential : queryCredentialSettings().entrySet()) {
            uri = QueryStrings.with(uri, credential.getKey(), settings.require(credential.getValue()));
        }
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            uri = QueryStrings.with(uri, parameter.getKey(), parameter.getValue());
        }
        return pages().first(uri);
    }

    protected Map<String, String> headers(Settings settings) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (basicUserSetting != null) {
            String pair = settings.require(basicUserSetting) + ":" + settings.require(basicPasswordSetting);
            headers.put("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        if (tokenHeaderSetting != null) {
            headers.put("Authorization", "Token token=\"" + settings.require(tokenHeaderSetting) + "\"");
        }
        return headers;
    }

    /** One GET, after taking a request from the job's budget when it has one. */
    protected Page fetch(DceServices services, URI uri, Map<String, String> headers)
            throws PollFailure, InterruptedException {
        if (requestBudget != null) {
            services.budgets().named(requestBudget).acquire();
        }
        return services.fetcher().fetch(uri, headers);
    }

    protected Pagination pages() {
        return Pagination.named(pagination);
    }

    /** The page's records: the array under {@code recordsField}, or the body itself when that is empty. */
    protected List<JsonNode> records(Page page) throws PollFailure {
        boolean bare = recordsField == null || recordsField.isBlank();
        JsonNode list = bare ? page.body() : page.body().get(recordsField);
        if (list == null || !list.isArray()) {
            throw new PollFailure("page of " + HttpPageFetcher.withoutQuery(page.uri()) + " has no "
                    + (bare ? "array" : "'" + recordsField + "' array"));
        }
        List<JsonNode> records = new ArrayList<>(list.size());
        list.forEach(records::add);
        return records;
    }

    private String resolvedPath(Settings settings) {
        Matcher setting = SETTING_IN_PATH.matcher(path);
        StringBuilder resolved = new StringBuilder();
        while (setting.find()) {
            setting.appendReplacement(resolved, Matcher.quoteReplacement(settings.require(setting.group(1))));
        }
        setting.appendTail(resolved);
        return resolved.toString();
    }

    private Map<String, String> queryCredentialSettings() {
        Map<String, String> credentials = new LinkedHashMap<>();
        if (queryCredentials != null) {
            for (String pair : queryCredentials.split(",")) {
                String[] parts = pair.trim().split("=", 2);
                if (parts.length == 2) {
                    credentials.put(parts[0].trim(), parts[1].trim());
                }
            }
        }
        return credentials;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    protected DceServices services() {
        return DceServices.of(camelContext);
    }

    @Override
    public String provider() {
        return provider;
    }

    public String stream() {
        return stream;
    }

    @Override
    public String describe() {
        return provider + " " + stream + " poller";
    }

    @Override
    public List<String> missingSettings() {
        Settings settings = services().settings();
        List<String> required = new ArrayList<>();
        required.add("dce." + provider + ".base-url");
        Matcher inPath = SETTING_IN_PATH.matcher(path);
        while (inPath.find()) {
            required.add(inPath.group(1));
        }
        Optional.ofNullable(basicUserSetting).ifPresent(required::add);
        Optional.ofNullable(basicPasswordSetting).ifPresent(required::add);
        Optional.ofNullable(tokenHeaderSetting).ifPresent(required::add);
        required.addAll(queryCredentialSettings().values());
        return required.stream().filter(key -> settings.find(key).isEmpty()).toList();
    }

    @Override
    public void validate() {
        if (provider == null || stream == null || path == null) {
            throw new ConfigurationException(getClass().getSimpleName() + " beans need provider, stream and path");
        }
        if ((basicUserSetting == null) != (basicPasswordSetting == null)) {
            throw new ConfigurationException(describe() + ": set both basicUserSetting and basicPasswordSetting");
        }
        pages();
        if (requestBudget != null) {
            services().budgets().named(requestBudget);
        }
    }

    public boolean isRunning() {
        return running.get();
    }

    /** Why the last run failed, or null after a success. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Whether the last run ended because the provider refused the credentials. */
    public boolean credentialsRefused() {
        return credentialsRefused;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public void setStream(String stream) {
        this.stream = stream;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public void setQuery(String query) {
        this.query = query;
    }

    public void setPagination(String pagination) {
        this.pagination = pagination;
    }

    public void setRecordsField(String recordsField) {
        this.recordsField = recordsField;
    }

    public void setBasicUserSetting(String basicUserSetting) {
        this.basicUserSetting = basicUserSetting;
    }

    public void setBasicPasswordSetting(String basicPasswordSetting) {
        this.basicPasswordSetting = basicPasswordSetting;
    }

    public void setTokenHeaderSetting(String tokenHeaderSetting) {
        this.tokenHeaderSetting = tokenHeaderSetting;
    }

    public void setQueryCredentials(String queryCredentials) {
        this.queryCredentials = queryCredentials;
    }

    public void setRequestBudget(String requestBudget) {
        this.requestBudget = requestBudget;
    }
}
