package com.dce.etl.channel;

import java.util.List;

/**
 * One thing a provider declares in its routes file: its webhook endpoint, a poll stream, a reference (tracker) sync.
 * Each is on only when the settings it names are set; status, health and the admin API find them in the
 * {@link ChannelRegistry}.
 */
public interface Channel {

    String provider();

    /** {@code webhook}, {@code poll} or {@code reference}. */
    String kind();

    /** The stream's name ({@code calls}, {@code trackers}), or {@code webhooks}. */
    String name();

    /** {@code <provider>-<name>-<kind>}: unique among the channels; also the route id its records are stored with. */
    default String id() {
        return provider() + "-" + name() + "-" + kind();
    }

    /** e.g. "trackdrive calls poll". */
    default String describe() {
        return provider() + " " + name() + " " + kind();
    }

    /** The settings that must be set for this channel to work and are not; empty when it is on. */
    List<String> missingSettings();

    default boolean isOn() {
        return missingSettings().isEmpty();
    }
}
