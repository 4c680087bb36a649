package com.dce.etl.tracking;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.config.DeclarationError;
import com.dce.etl.http.Page;
import com.dce.etl.http.ProviderApiFailure;
import com.dce.etl.http.ProviderRequest;
import com.dce.etl.mapping.MappingCatalog;
import com.dce.etl.mapping.RecordContext;
import com.dce.etl.mapping.RecordMapping;
import com.dce.etl.mapping.RecordRejected;
import com.dce.etl.mapping.TargetSchema;
import com.dce.etl.mapping.TrackerColumn;
import com.dce.etl.poll.ApiChannel;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tracker sync, declared with the {@code tracker-sync} route template: a full read of a provider's trackers (see
 * {@link ApiChannel}), each mapped by {@code config/mappings/<provider>-trackers.yaml} into
 * {@code dce_tracking_numbers}, one row per number. Numbers a complete read no longer lists are marked
 * {@code deleted} (never removed, so older calls still resolve); calls already stored on new or changed numbers get
 * what they lack. With {@code atStart}, it also runs once when the service starts.
 */
public final class TrackerSync extends ApiChannel {
    private static final Logger LOG = LoggerFactory.getLogger(TrackerSync.class);

    private String stream = "trackers";
    private boolean atStart = true;
    private TrackingNumberStore trackingNumbers;
    private StoredCallEnricher storedCalls;
    private MappingCatalog mappings;

    @Override
    protected void checkDeclaration() {
        if (!mappings.has(provider(), TargetSchema.TRACKERS)) {
            throw new DeclarationError("provider", "there is no mapping file " + provider()
                    + TargetSchema.TRACKERS.suffix() + ".yaml in the mappings directory");
        }
    }

    /** The sync route's first step: the body becomes a new read of all trackers; stops when off or running. */
    @Override
    public void begin(Exchange exchange) {
        if (!runs().tryStart()) {
            exchange.setRouteStop(true);
            return;
        }
        exchange.getMessage().setBody(new TrackerRead(pages().first(baseRequest())));
    }

    /** One read of every tracker page. */
    public final class TrackerRead {
        // whole milliseconds, so the stored value compares equal to this one in every database
        private final OffsetDateTime syncedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        private final Set<String> changed = new HashSet<>();
        private ProviderRequest next;
        private int rows;

        private TrackerRead(ProviderRequest first) {
            this.next = first;
        }

        public boolean hasNext() {
            return next != null;
        }

        /** Fetches the next page, maps its trackers and stores their numbers. */
        public void storeNextPage() throws ProviderApiFailure, InterruptedException, SQLException {
            Page page = fetch(next);
            List<JsonNode> trackers = records(page);
            RecordMapping<TrackerColumn> mapping = mappings.mapping(provider(), TargetSchema.TRACKERS);
            List<TrackingNumber> numbers = new ArrayList<>();
            for (JsonNode tracker : trackers) {
                numbers.addAll(numbersOf(mapping, tracker, page.fetchedAt()));
            }
            changed.addAll(trackingNumbers.upsert(numbers, syncedAt));
            rows += numbers.size();
            next = pages().next(page, trackers).orElse(null);
        }

        /** Every page stored: numbers no longer listed are marked deleted, stored calls get what they lack. */
        public void finish() throws SQLException {
            try {
                int deleted = trackingNumbers.markUnseenDeleted(provider(), syncedAt);
                if (deleted > 0) {
                    LOG.info("{}: {} tracking numbers no longer listed, marked deleted", describe(), deleted);
                }
                int enriched = storedCalls.enrich(provider(), changed);
                if (enriched > 0) {
                    LOG.info("{}: {} stored calls enriched from new or changed trackers", describe(), enriched);
                }
            } catch (SQLException e) {
                runs().failed(e);
                throw e;
            }
            runs().succeeded(rows);
        }

        public void failed(Exception failure) {
            runs().failed(failure);
        }
    }

    /** The tracker's numbers as rows; a tracker that cannot be mapped is logged and left out. */
    private List<TrackingNumber> numbersOf(RecordMapping<TrackerColumn> mapping, JsonNode tracker,
            OffsetDateTime fetchedAt) {
        EnumMap<TrackerColumn, Object> values;
        try {
            values = mapping.map(tracker, new RecordContext("reference", fetchedAt));
        } catch (RecordRejected e) {
            LOG.warn("{}: a tracker was left out: {}", describe(), e.getMessage());
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<String> numbers = (List<String>) values.getOrDefault(TrackerColumn.TRACKING_NUMBERS, List.of());
        String id = (String) values.get(TrackerColumn.EXTERNAL_TRACKER_ID);
        if (id == null) {
            return List.of();
        }
        return numbers.stream().map(number -> new TrackingNumber(provider(), id, number,
                (String) values.get(TrackerColumn.TRACKER_NAME), (String) values.get(TrackerColumn.TRACKER_TYPE),
                (String) values.get(TrackerColumn.STATUS), (String) values.get(TrackerColumn.SOURCE_NAME),
                (String) values.get(TrackerColumn.DESTINATION_NUMBER), (String) values.get(TrackerColumn.COMPANY_ID),
                (OffsetDateTime) values.get(TrackerColumn.CREATED_AT))).toList();
    }

    /** Whether this sync also runs once at start-up. */
    public boolean atStart() {
        return atStart;
    }

    @Override
    public String describe() {
        return provider() + " tracker sync";
    }

    @Override
    public String runRoute() {
        return "direct:sync-trackers";
    }

    @Override
    public String kind() {
        return "reference";
    }

    @Override
    public String name() {
        return stream;
    }

    public void setStream(String stream) {
        this.stream = stream;
    }

    public void setAtStart(boolean atStart) {
        this.atStart = atStart;
    }

    public void setTrackingNumbers(TrackingNumberStore trackingNumbers) {
        this.trackingNumbers = trackingNumbers;
    }

    public void setStoredCalls(StoredCallEnricher storedCalls) {
        this.storedCalls = storedCalls;
    }

    public void setMappings(MappingCatalog mappings) {
        this.mappings = mappings;
    }
}
