package com.dce.etl.webhook;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One webhook path of the service's HTTP server and the methods it takes; only consumed from. */
public final class WebhookEndpoint extends DefaultEndpoint {
    private final String path;
    private Set<String> methods = Set.of("POST");

    WebhookEndpoint(String uri, WebhookComponent component, String path) {
        super(uri, component);
        this.path = path.startsWith("/") ? path : "/" + path;
    }

    @Override
    public WebhookComponent getComponent() {
        return (WebhookComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " takes requests; it cannot be sent to");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        WebhookConsumer consumer = new WebhookConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String path() {
        return path;
    }

    /** The HTTP methods taken, upper case. */
    public Set<String> methods() {
        return methods;
    }

    /** The {@code methods} parameter: methods separated by commas. */
    public void setMethods(String methods) {
        Set<String> parsed = Arrays.stream(methods.split(",")).map(String::strip).filter(method -> !method.isEmpty())
                .map(method -> method.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("methods: at least one HTTP method is required");
        }
        this.methods = parsed;
    }
}
