package com.dce.etl.pipeline;

import java.util.List;
import java.util.stream.IntStream;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;

import com.dce.etl.mapping.CallMapping;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.mapping.MappingCatalog;
import com.dce.etl.mapping.ProviderJson;
import com.dce.etl.mapping.ReasonCode;
import com.dce.etl.mapping.RecordContext;
import com.dce.etl.mapping.RecordRejected;
import com.dce.etl.mapping.StatusVocabulary;
import com.dce.etl.mapping.DceColumn;
import com.dce.etl.observe.PipelineMetrics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** Load route step: maps each record of the batch through its provider's mapping file; rejects go aside. */
public final class MapCallsStep implements Processor {
    private static final int PARALLEL_FROM = 64;
    private final MappingCatalog mappings;
    private final PipelineMetrics metrics;

    public MapCallsStep(MappingCatalog mappings, PipelineMetrics metrics) {
        this.mappings = mappings;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws InvalidPayloadException {
        CallBatch batch = exchange.getMessage().getMandatoryBody(CallBatch.class);
        if (batch.isMapped()) {
            // mapped ahead, while the page before it was stored
            return;
        }
        CallMapping mapping = mappings.forProvider(batch.provider());
        metrics.received(batch.provider(), batch.channel(), batch.records().size());
        List<SourceRecord> records = batch.records();
        // records map independently: a page is spread over the cores, a webhook's single record stays on its thread
        IntStream indexes = IntStream.range(0, records.size());
        Object[] outcomes = (records.size() >= PARALLEL_FROM ? indexes.parallel() : indexes)
                .mapToObj(i -> map(mapping, records.get(i), batch.channel())).toArray();
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] instanceof MappedCall call) {
                if (StatusVocabulary.UNKNOWN.equals(call.get(DceColumn.CALL_STATUS))) {
                    metrics.unknownStatus(batch.provider());
                }
                batch.calls().add(call);
            } else {
                RecordRejected rejected = (RecordRejected) outcomes[i];
                batch.reject(records.get(i).text(), rejected.reason(), rejected.getMessage());
            }
        }
        batch.mapped();
    }

    /** The mapped call, or the {@link RecordRejected} that says why there is none. */
    private static Object map(CallMapping mapping, SourceRecord record, String channel) {
        try {
            MappedCall call = mapping.map(json(record), record.text(), new RecordContext(channel, record.receivedAt()));
            call.digest(); // here, on the threads mapping ahead, rather than on the one storing pages
            return call;
        } catch (RecordRejected e) {
            return e;
        }
    }

    private static JsonNode json(SourceRecord record) throws RecordRejected {
        if (record.json() != null) {
            return record.json();
        }
        try {
            return ProviderJson.read(record.text());
        } catch (JsonProcessingException e) {
            throw new RecordRejected(ReasonCode.INVALID_JSON, "payload is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }
}
