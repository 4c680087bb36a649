package com.dce.etl.channel;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

/**
 * Runs a scheduled channel now, as its schedule would: its first step, then its route, in the calling thread. The
 * admin API's "run now" uses it in the background.
 */
public final class ChannelRuns {
    private final CamelContext context;
    private final ProducerTemplate producer;

    public ChannelRuns(CamelContext context, ProducerTemplate producer) {
        this.context = context;
        this.producer = producer;
    }

    /** Runs it and waits; false when it did not start (off, or running already). */
    public boolean run(ScheduledChannel channel) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        channel.begin(exchange);
        if (exchange.isRouteStop()) {
            return false;
        }
        producer.send(channel.runRoute(), exchange);
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        return true;
    }
}
