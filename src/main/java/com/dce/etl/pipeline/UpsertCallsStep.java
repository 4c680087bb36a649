package com.dce.etl.pipeline;

import java.sql.SQLException;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;

import com.dce.etl.deadletter.DeadLetter;
import com.dce.etl.observe.PipelineMetrics;
import com.dce.etl.sink.CallWriter;

/**
 * Store route step: upserts the batch's calls with the merge rule, with its rejected records as dead letters, a poll
 * page's watermark and the inbox entries it came from (deleted), in one transaction. A passing database fault is
 * thrown, so the webhook's inbox entry or the poll page is retried as a whole.
 */
public final class UpsertCallsStep implements Processor {
    private final CallWriter writer;
    private final PipelineMetrics metrics;

    public UpsertCallsStep(CallWriter writer, PipelineMetrics metrics) {
        this.writer = writer;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws SQLException, InvalidPayloadException {
        CallBatch batch = exchange.getMessage().getMandatoryBody(CallBatch.class);
        CallWriter.Outcome outcome = writer.write(batch.provider(), batch.channel(), batch.routeId(), batch.calls(),
                batch.completion());
        // only now, so that a retried store (database away) writes the same dead letters, once each
        outcome.failed().forEach(failed ->
                batch.reject(failed.call().sourcePayload(), failed.reason(), failed.message()));
        batch.loaded(outcome.written());
        metrics.loaded(batch.provider(), batch.channel(), outcome.written());
        for (DeadLetter letter : batch.rejected()) {
            metrics.deadLettered(batch.provider(), batch.channel(), letter.reason().name());
        }
    }
}
