package com.dce.etl;

import java.util.Properties;

import org.apache.camel.main.Main;

import com.dce.etl.config.DceWiring;

/** Builds the Camel Main of the service: config from the working directory, shared pieces from {@link DceWiring}. */
public final class DceMain {
    private DceMain() {
    }

    /** {@code overrides} take precedence over every other source of a property; tests use them. */
    public static Main create(Properties overrides) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:config/application.properties");
        main.setOverrideProperties(overrides);
        // keys holding secrets, masked in the start-up summary of properties (Camel masks "password", "token"...)
        main.configure().setAdditionalSensitiveKeywords("webhooktoken,webhooksigningkey,publickey");
        main.configure().addConfiguration(new DceWiring());
        return main;
    }
}
