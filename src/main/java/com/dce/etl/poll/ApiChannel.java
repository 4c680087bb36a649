package com.dce.etl.poll;

import java.net.URI;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.quartz.CronExpression;

import com.dce.etl.channel.RunRecord;
import com.dce.etl.channel.ScheduledChannel;
import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.config.ConfigurationException;
import com.dce.etl.config.DeclarationError;
import com.dce.etl.config.Declared;
import com.dce.etl.config.Settings;
import com.dce.etl.http.ApiAuth;
import com.dce.etl.http.Page;
import com.dce.etl.http.ProviderApiFailure;
import com.dce.etl.http.ProviderHttpClient;
import com.dce.etl.http.ProviderRequest;
import com.dce.etl.http.RequestBudgets;
import com.dce.etl.mapping.ProviderJson;
import com.dce.etl.mapping.SourcePath;
import com.dce.etl.observe.PipelineMetrics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A channel that reads a list endpoint of a provider's API, as its declaration (route template parameters) describes
 * it: where ({@code dce.<provider>.base-url} + {@code path}, where {@code {dce.some.key}} stands for that setting),
 * how ({@code method}, {@code query}, a JSON {@code body} for POST), with which credentials ({@code auth}, an
 * {@link ApiAuth} style), paged how ({@code pagination}, a {@link Pagination} style), where the records are in an answer
 * ({@code records}, empty for a bare array) and which request budget it spends ({@code budget}). The declaration is
 * checked when its route is created, so a mistake stops start-up, or a reload, with the key and the reason.
 */
public abstract class ApiChannel implements ScheduledChannel, Declared {
    private static final Pattern SETTING = Pattern.compile("\\{(dce\\.[a-z0-9.-]+)}");

    private String provider;
    private String schedule;
    private String path;
    private String method = "GET";
    private String query = "";
    private String body;
    private String auth;
    private String pagination;
    private String records = "";
    private String budget = "";

    protected Settings settings;
    protected ProviderHttpClient http;
    protected RequestBudgets budgets;
    protected ChannelRegistry channels;
    protected WatermarkStore watermarks;
    protected PipelineMetrics metrics;

    private volatile RunRecord runs;

    private ApiAuth apiAuth;
    private Pagination pages;
    private SourcePath recordsPath;
    private JsonNode bodyTemplate;

    /** Checks the declaration and registers the channel; the route template's init method. */
    public void init() {
        validate();
        runs = new RunRecord(this, watermarks, metrics);
        channels.register(this);
    }

    @Override
    public void validate() {
        require("provider", provider);
        require("path", path);
        require("auth", auth);
        require("pagination", pagination);
        if (!method.equals("GET") && !method.equals("POST")) {
            throw new DeclarationError("method", "must be GET or POST, not '" + method + "'");
        }
        apiAuth = ApiAuth.STYLES.create("auth", auth);
        pages = Pagination.STYLES.create("pagination", pagination);
        recordsPath = records.isBlank() ? null : SourcePath.parse(records);
        if (body != null && !body.isBlank()) {
            try {
                bodyTemplate = ProviderJson.read(body);
            } catch (JsonProcessingException e) {
                throw new DeclarationError("body", "is not JSON: " + e.getOriginalMessage());
            }
            if (!bodyTemplate.isObject()) {
                throw new DeclarationError("body", "must be a JSON object");
            }
        }
        if (schedule != null) {
            try {
                CronExpression.validateExpression(schedule);
            } catch (ParseException e) {
                throw new DeclarationError("schedule", "'" + schedule + "' is not a Quartz cron expression: "
                        + e.getMessage());
            }
        }
        if (!budget.isBlank()) {
            try {
                budgets.named(budget);
            } catch (ConfigurationException e) {
                throw new DeclarationError("budget", e.getMessage());
            }
        }
        checkDeclaration();
    }

    /** A parameter the declaration must give. */
    protected static void require(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new DeclarationError(parameter, "is required");
        }
    }

    /** The subclass's own declaration checks. */
    protected abstract void checkDeclaration();

    /** The channel's runs: the guard against two at once, and where their outcomes are recorded. */
    protected RunRecord runs() {
        return runs;
    }

    @Override
    public boolean isRunning() {
        return runs().isRunning();
    }

    @Override
    public String lastFailure() {
        return runs().lastFailure();
    }

    @Override
    public boolean credentialsRefused() {
        return runs().credentialsRefused();
    }

    /** The request for the first page, before the window and the pagination are applied, without credentials. */
    protected ProviderRequest baseRequest() {
        String base = settings.require("dce." + provider + ".base-url");
        URI uri = URI.create(stripTrailingSlash(base) + withSettings(path) + (query.isBlank() ? "" : "?" + query));
        return new ProviderRequest(method, uri, java.util.Map.of(), bodyTemplate);
    }

    /** One request: a slot of the budget, the credentials, then the provider's answer. */
    public Page fetch(ProviderRequest request) throws ProviderApiFailure, InterruptedException {
        if (!budget.isBlank()) {
            budgets.named(budget).acquire();
        }
        return http.send(apiAuth.apply(request, settings), recordsPath);
    }

    /** The page's records: the array at {@code records}, or the body itself when that is empty. */
    public List<JsonNode> records(Page page) throws ProviderApiFailure {
        JsonNode list = recordsPath == null ? page.body() : recordsPath.value(page.body());
        if (list == null || !list.isArray()) {
            throw new ProviderApiFailure("answer of " + page.request().where() + " has no "
                    + (recordsPath == null ? "array" : "'" + records + "' array"));
        }
        List<JsonNode> found = new ArrayList<>(list.size());
        list.forEach(found::add);
        return found;
    }

    public Pagination pages() {
        return pages;
    }

    /** The request as it may be stored or logged: without what the credentials add. */
    public ProviderRequest withoutCredentials(ProviderRequest request) {
        return apiAuth.withoutCredentials(request);
    }

    @Override
    public List<String> missingSettings() {
        List<String> required = new ArrayList<>();
        required.add("dce." + provider + ".base-url");
        Matcher inPath = SETTING.matcher(path == null ? "" : path);
        while (inPath.find()) {
            required.add(inPath.group(1));
        }
        if (apiAuth != null) {
            required.addAll(apiAuth.settings());
        }
        return required.stream().distinct().filter(key -> settings.find(key).isEmpty()).toList();
    }

    private String withSettings(String text) {
        Matcher setting = SETTING.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (setting.find()) {
            setting.appendReplacement(resolved, Matcher.quoteReplacement(settings.require(setting.group(1))));
        }
        setting.appendTail(resolved);
        return resolved.toString();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String provider() {
        return provider;
    }


    public String schedule() {
        return schedule;
    }

    public Settings settings() {
        return settings;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }


    public void setSchedule(String schedule) {
        this.schedule = schedule;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public void setMethod(String method) {
        this.method = method.trim().toUpperCase(java.util.Locale.ROOT);
    }

    public void setQuery(String query) {
        this.query = query == null ? "" : query.trim();
    }

    public void setBody(String body) {
        this.body = body;
    }

    public void setAuth(String auth) {
        this.auth = auth;
    }

    public void setPagination(String pagination) {
        this.pagination = pagination;
    }

    public void setRecords(String records) {
        this.records = records == null ? "" : records.trim();
    }

    public void setBudget(String budget) {
        this.budget = budget == null ? "" : budget.trim();
    }

    public void setSettings(Settings settings) {
        this.settings = settings;
    }

    public void setHttp(ProviderHttpClient http) {
        this.http = http;
    }

    public void setBudgets(RequestBudgets budgets) {
        this.budgets = budgets;
    }

    public void setChannels(ChannelRegistry channels) {
        this.channels = channels;
    }

    public void setWatermarks(WatermarkStore watermarks) {
        this.watermarks = watermarks;
    }

    public void setMetrics(PipelineMetrics metrics) {
        this.metrics = metrics;
    }
}
