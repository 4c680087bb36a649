package com.dce.etl.pipeline;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;

import com.dce.etl.mapping.DceColumn;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.tracking.TrackingNumber;
import com.dce.etl.tracking.TrackingNumberStore;

/**
 * Load route step, for every provider: a call whose tracking number belongs to one of the provider's trackers
 * ({@code dce_tracking_numbers}) gets the tracker as campaign (id, name) and the tracker's source as publisher, where
 * the call itself lacks them. Values the call carries are never replaced.
 */
public final class EnrichCallsStep implements Processor {
    private final TrackingNumberStore trackingNumbers;

    public EnrichCallsStep(TrackingNumberStore trackingNumbers) {
        this.trackingNumbers = trackingNumbers;
    }

    @Override
    public void process(Exchange exchange) throws InvalidPayloadException, SQLException {
        CallBatch batch = exchange.getMessage().getMandatoryBody(CallBatch.class);
        List<String> numbers = batch.calls().stream()
                .filter(EnrichCallsStep::lacksCampaignOrPublisher)
                .map(call -> (String) call.get(DceColumn.TRACKING_NUMBER))
                .filter(number -> number != null)
                .toList();
        if (numbers.isEmpty()) {
            return;
        }
        Map<String, TrackingNumber> trackers = trackingNumbers.trackersOf(batch.provider(), numbers);
        for (MappedCall call : batch.calls()) {
            TrackingNumber tracker = trackers.get((String) call.get(DceColumn.TRACKING_NUMBER));
            if (tracker != null) {
                fill(call, DceColumn.CAMPAIGN_ID, tracker.trackerId());
                fill(call, DceColumn.CAMPAIGN_NAME, tracker.trackerName());
                fill(call, DceColumn.PUBLISHER_NAME, tracker.sourceName());
            }
        }
    }

    private static boolean lacksCampaignOrPublisher(MappedCall call) {
        return call.get(DceColumn.CAMPAIGN_NAME) == null || call.get(DceColumn.PUBLISHER_NAME) == null;
    }

    private static void fill(MappedCall call, DceColumn column, String value) {
        if (call.get(column) == null && value != null) {
            call.set(column, value);
        }
    }
}
