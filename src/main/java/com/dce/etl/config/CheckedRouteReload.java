package com.dce.etl.config;

import java.util.Collection;
import java.util.stream.Collectors;

import org.apache.camel.spi.Resource;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the routes files when one is saved, as Camel's own watcher does, but only once {@link RoutesCheck} accepts
 * them all: Camel removes a file's routes before it adds the new ones, so an edit that fails would leave, say, the
 * webhook endpoint gone. A refused edit is logged in one line; the routes running stay as they were.
 */
public final class CheckedRouteReload extends RouteWatcherReloadStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(CheckedRouteReload.class);

    private final RoutesCheck check;

    public CheckedRouteReload(String directory, RoutesCheck check) {
        super(directory, false);
        this.check = check;
        setPattern("*.camel.yaml");
        // templates and declarations live in different files: every route is made again from all of them
        setRemoveAllRoutes(true);
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        String files = resources == null ? "routes" : resources.stream().map(Resource::getLocation)
                .collect(Collectors.joining(", "));
        try {
            check.check();
        } catch (ConfigurationException e) {
            LOG.error("Reload of {} refused, the routes running stay as they are: {}", files, e.getMessage());
            return;
        }
        LOG.info("Reloading routes after a change to {}", files);
        super.onRouteReload(resources, removeEverything);
    }
}
