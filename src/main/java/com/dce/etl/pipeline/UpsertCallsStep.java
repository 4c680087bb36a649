package com.dce.etl.pipeline;

import java.sql.SQLException;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;

import com.dce.etl.deadletter.DeadLetter;
import com.dce.etl.deadletter.DeadLetterStore;
import com.dce.etl.observe.PipelineMetrics;
import com.dce.etl.sink.CallWriter;

/**
 * Load route step: upserts the batch's calls with the merge rule, then stores every rejected record as a dead letter.
 * A passing database fault is thrown, so the webhook's inbox entry or the poll page is retried as a whole.
 */
public final class UpsertCallsStep implements Processor {
    private final CallWriter writer;
    private final DeadLetterStore deadLetters;
    private final PipelineMetrics metrics;

    public UpsertCallsStep(CallWriter writer, DeadLetterStore deadLetters, PipelineMetrics metrics) {
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws SQLException, InvalidPayloadException {
        CallBatch batch = exchange.getMessage().getMandatoryBody(CallBatch.class);
        CallWriter.Outcome outcome = writer.write(batch.provider(), batch.calls(), batch.channel());
        outcome.failed().forEach(failed ->
                batch.reject(failed.call().sourcePayload(), failed.reason(), failed.message()));
        deadLetters.addAll(batch.rejected());
        batch.loaded(outcome.written());
        metrics.loaded(batch.provider(), batch.channel(), outcome.written());
        for (DeadLetter letter : batch.rejected()) {
            metrics.deadLettered(batch.provider(), batch.channel(), letter.reason().name());
        }
    }
}
