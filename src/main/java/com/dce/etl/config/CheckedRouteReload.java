package com.dce.etl.config;

import java.util.Collection;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the routes when a routes file is saved, but only once {@link RoutesCheck} accepts them all: Camel removes a
 * file's routes before it adds the new ones, so an edit that fails would leave, say, the webhook endpoint gone. A
 * refused edit is logged in one line; the routes running stay as they were. An accepted one makes every route again
 * from all the files (in-flight work finishes first, webhooks meanwhile get 503 and are sent again): templates and the
 * declarations using them live in different files, and Camel's own reload of one file does not re-make the routes
 * another file's templates made.
 */
public final class CheckedRouteReload extends RouteWatcherReloadStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(CheckedRouteReload.class);

    private final RoutesCheck check;

    public CheckedRouteReload(String directory, RoutesCheck check) {
        super(directory, false);
        this.check = check;
        setPattern("*.camel.yaml");
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
        CamelContext context = getCamelContext();
        try {
            context.getRouteController().removeAllRoutes();
            context.removeRouteTemplates("*");
            PluginHelper.getRoutesLoader(context).loadRoutes(check.resourcesTemplatesFirst());
            LOG.info("Routes reloaded: {} routes", context.getRoutes().size());
        } catch (Exception e) {
            LOG.error("Reloading the routes failed, restart the service: {}", e.getMessage());
        }
    }
}
