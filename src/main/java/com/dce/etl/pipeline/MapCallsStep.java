package com.dce.etl.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;

import com.dce.etl.mapping.CallMapping;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.mapping.MappingCatalog;
import com.dce.etl.mapping.ProviderJson;
import com.dce.etl.mapping.ReasonCode;
import com.dce.etl.mapping.RecordRejected;
import com.dce.etl.mapping.StatusVocabulary;
import com.dce.etl.mapping.DceColumn;
import com.dce.etl.observe.PipelineMetrics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** Load route step: maps each record of the batch through its provider's mapping file; rejects go aside. */
public final class MapCallsStep implements Processor {
    private final MappingCatalog mappings;
    private final PipelineMetrics metrics;

    public MapCallsStep(MappingCatalog mappings, PipelineMetrics metrics) {
        this.mappings = mappings;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws InvalidPayloadException {
        CallBatch batch = exchange.getMessage().getMandatoryBody(CallBatch.class);
        CallMapping mapping = mappings.forProvider(batch.provider());
        metrics.received(batch.provider(), batch.channel(), batch.records().size());
        for (SourceRecord record : batch.records()) {
            try {
                MappedCall call = mapping.map(json(record), record.text());
                if (StatusVocabulary.UNKNOWN.equals(call.get(DceColumn.CALL_STATUS))) {
                    metrics.unknownStatus(batch.provider());
                }
                batch.calls().add(call);
            } catch (RecordRejected e) {
                batch.reject(record.text(), e.reason(), e.getMessage());
            }
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
