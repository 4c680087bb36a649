package com.dce.etl.config;

import java.util.List;

/**
 * A provider piece declared in a routes file (a webhook receiver, a poller) that is on only when its settings are.
 * At start-up each is checked and reported in one log line, on or off and why.
 */
public interface ProviderSwitch {

    String provider();

    /** e.g. "trackdrive webhooks (token)". */
    String describe();

    /** The settings that must be set for this piece to work and are not; empty when it is on. */
    List<String> missingSettings();

    /** Throws {@link ConfigurationException} naming the bean property and the reason when the declaration is unusable. */
    default void validate() {
    }
}
