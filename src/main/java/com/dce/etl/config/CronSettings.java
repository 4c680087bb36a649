package com.dce.etl.config;

import java.text.ParseException;
import java.util.Properties;

import org.apache.camel.spi.PropertiesComponent;
import org.quartz.CronExpression;

/** Checks every {@code dce.<provider>.poll-cron} at start-up, so a typo stops the service with the key and reason. */
final class CronSettings {
    private CronSettings() {
    }

    static void validate(PropertiesComponent properties, Settings settings) {
        Properties declared = properties.loadProperties(key -> key.startsWith("dce.") && key.endsWith(".poll-cron"));
        for (String key : declared.stringPropertyNames()) {
            String cron = settings.find(key).orElse("");
            try {
                CronExpression.validateExpression(cron);
            } catch (ParseException e) {
                throw new ConfigurationException("config/application.properties (or its override): " + key + ": '"
                        + cron + "' is not a Quartz cron expression: " + e.getMessage());
            }
        }
    }
}
