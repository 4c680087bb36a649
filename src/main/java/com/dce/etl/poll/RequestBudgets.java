package com.dce.etl.poll;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.dce.etl.config.ConfigurationException;
import com.dce.etl.config.Settings;

/** The named request budgets jobs share: budget {@code x} allows {@code dce.x.requests-per-hour} requests. */
public final class RequestBudgets {
    private final Settings settings;
    private final Map<String, HourlyRequestBudget> budgets = new ConcurrentHashMap<>();

    public RequestBudgets(Settings settings) {
        this.settings = settings;
    }

    public HourlyRequestBudget named(String name) {
        return budgets.computeIfAbsent(name, key -> {
            String setting = "dce." + key + ".requests-per-hour";
            int perHour = settings.getInt(setting, 0);
            if (perHour <= 0) {
                throw new ConfigurationException(setting + " must be a positive number for request budget " + key);
            }
            Duration maxWait = Duration.ofSeconds(settings.getLong("dce.http-client.max-budget-wait-seconds", 300));
            return new HourlyRequestBudget(key, perHour, maxWait, Clock.systemUTC());
        });
    }
}
