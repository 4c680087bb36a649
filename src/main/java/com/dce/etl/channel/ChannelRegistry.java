package com.dce.etl.channel;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels the routes files declare. A channel registers itself when its route is created, at start-up or when
 * its file is reloaded, replacing the one declared before under the same id, so status, health and the admin API
 * follow the current declarations. (Camel does not tell a route template's beans which route they belong to, so a
 * declaration deleted from a file stays listed until the next start.) Each registration is reported in one log line:
 * on, or off and which settings to set.
 */
public final class ChannelRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelRegistry.class);

    private final Map<String, Channel> byId = new ConcurrentHashMap<>();
    private final Consumer<Channel> onDeclared;

    /** {@code onDeclared}: told of each channel registered (its metrics are created at zero). */
    public ChannelRegistry(Consumer<Channel> onDeclared) {
        this.onDeclared = onDeclared;
    }

    public void register(Channel channel) {
        byId.put(channel.id(), channel);
        onDeclared.accept(channel);
        List<String> missing = channel.missingSettings();
        if (missing.isEmpty()) {
            LOG.info("{}: on", channel.describe());
        } else {
            LOG.info("{}: off, set {} to turn it on", channel.describe(), String.join(" and ", missing));
        }
    }

    /** Every channel, by provider, kind and name. */
    public List<Channel> all() {
        return byId.values().stream()
                .sorted(Comparator.comparing(Channel::provider).thenComparing(Channel::kind)
                        .thenComparing(Channel::name))
                .toList();
    }

    public <T extends Channel> List<T> all(Class<T> type) {
        return all().stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends Channel> Optional<T> find(Class<T> type, String provider, String name) {
        return all(type).stream().filter(c -> c.provider().equals(provider) && c.name().equals(name)).findFirst();
    }
}
