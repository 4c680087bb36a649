package com.dce.etl.http;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.dce.etl.config.ConfigurationException;
import com.dce.etl.config.Settings;

/**
 * The named request budgets jobs share: budget {@code x} allows {@code dce.x.requests-per-second}, {@code -minute},
 * {@code -hour} and {@code -day} requests, each where set.
 */
public final class RequestBudgets {
    private static final Map<String, ChronoUnit> WINDOWS = Map.of("second", ChronoUnit.SECONDS,
            "minute", ChronoUnit.MINUTES, "hour", ChronoUnit.HOURS, "day", ChronoUnit.DAYS);

    private final Settings settings;
    private final Map<String, RequestBudget> budgets = new ConcurrentHashMap<>();

    public RequestBudgets(Settings settings) {
        this.settings = settings;
    }

    public RequestBudget named(String name) {
        return budgets.computeIfAbsent(name, this::create);
    }

    private RequestBudget create(String name) {
        List<RequestBudget.Limit> limits = new ArrayList<>();
        for (String unit : List.of("second", "minute", "hour", "day")) {
            String key = "dce." + name + ".requests-per-" + unit;
            int count = settings.getInt(key, 0);
            if (settings.find(key).isPresent() && count <= 0) {
                throw new ConfigurationException(key + " must be a positive number");
            }
            if (count > 0) {
                limits.add(new RequestBudget.Limit(count, Duration.of(1, WINDOWS.get(unit)),
                        String.format("%,d/%s", count, unit)));
            }
        }
        if (limits.isEmpty()) {
            throw new ConfigurationException("request budget " + name + " has no limit: set dce." + name
                    + ".requests-per-hour (or -second, -minute, -day)");
        }
        Duration maxWait = Duration.ofSeconds(settings.getLong("dce.http-client.max-budget-wait-seconds", 300));
        return new RequestBudget(name, limits, maxWait, Clock.systemUTC());
    }
}
