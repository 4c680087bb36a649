package com.dce.etl.poll;

import java.net.URI;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.config.DceServices;
import com.dce.etl.config.Settings;
import com.dce.etl.mapping.SourcePath;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.transform.PhoneTransform;
import com.dce.etl.mapping.transform.TimestampTransform;
import com.dce.etl.tracking.TrackingNumber;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A scheduled full read of a provider's trackers into {@code dce_tracking_numbers}: one row per tracking number (a
 * session tracker has a pool of them). Numbers that a complete read no longer lists are marked {@code deleted}; a
 * disabled tracker keeps its provider status. The tracker fields are named by bean properties, CallRail's by default.
 */
public final class TrackingNumberSync extends ProviderApiJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrackingNumberSync.class);
    private static final PhoneTransform PHONES = new PhoneTransform("US");
    private static final TimestampTransform TIMESTAMPS = new TimestampTransform(ZoneOffset.UTC);

    private String idField = "id";
    private String nameField = "name";
    private String typeField = "type";
    private String statusField = "status";
    private String numbersField = "tracking_numbers";
    private String numberField = "tracking_number";
    private String sourceField = "source.type";
    private String destinationField = "destination_number";
    private String companyField = "company.id";
    private String createdField = "created_at";

    public TrackingNumberSync() {
        setStream("trackers");
    }

    /** One sync run; called by the provider's Quartz route. */
    public void sync() throws Exception {
        run();
    }

    @Override
    protected int work(DceServices services) throws PollFailure, SQLException, InterruptedException {
        // whole milliseconds, so the stored value compares equal to this one in every database
        OffsetDateTime syncedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        Settings settings = services.settings();
        Map<String, String> headers = headers(settings);
        Pagination pages = pages();
        URI next = firstPage(settings, Map.of());
        int rows = 0;
        Set<String> changed = new HashSet<>();
        while (next != null) {
            Page page = fetch(services, next, headers);
            List<JsonNode> trackers = records(page);
            List<TrackingNumber> numbers = new ArrayList<>();
            for (JsonNode tracker : trackers) {
                numbers.addAll(numbersOf(tracker));
            }
            changed.addAll(services.trackingNumbers().upsert(numbers, syncedAt));
            rows += numbers.size();
            next = pages.next(page, trackers.size()).orElse(null);
        }
        int deleted = services.trackingNumbers().markUnseenDeleted(provider(), syncedAt);
        if (deleted > 0) {
            LOG.info("{}: {} tracking numbers no longer listed, marked deleted", describe(), deleted);
        }
        // calls stored before their tracker was known (or changed) get what they lack now
        int enriched = services.storedCallEnricher().enrich(provider(), changed);
        if (enriched > 0) {
            LOG.info("{}: {} stored calls enriched from new or changed trackers", describe(), enriched);
        }
        return rows;
    }

    private List<TrackingNumber> numbersOf(JsonNode tracker) {
        String id = text(tracker, idField);
        if (id == null) {
            return List.of();
        }
        List<String> numbers = new ArrayList<>();
        JsonNode pool = SourcePath.parse(numbersField).presentValue(tracker);
        if (pool != null && pool.isArray()) {
            pool.forEach(number -> numbers.add(phone(number)));
        }
        numbers.add(phone(SourcePath.parse(numberField).presentValue(tracker)));
        return numbers.stream().filter(number -> number != null).distinct()
                .map(number -> new TrackingNumber(provider(), id, number, text(tracker, nameField),
                        text(tracker, typeField), text(tracker, statusField), text(tracker, sourceField),
                        phone(SourcePath.parse(destinationField).presentValue(tracker)), text(tracker, companyField),
                        time(tracker, createdField)))
                .toList();
    }

    private static String text(JsonNode tracker, String field) {
        JsonNode value = SourcePath.parse(field).presentValue(tracker);
        return value != null && value.isValueNode() ? value.asText() : null;
    }

    private static String phone(JsonNode value) {
        try {
            return value == null ? null : (String) PHONES.apply(value);
        } catch (ValueRejected e) {
            return null;
        }
    }

    private static OffsetDateTime time(JsonNode tracker, String field) {
        JsonNode value = SourcePath.parse(field).presentValue(tracker);
        try {
            return value == null ? null : (OffsetDateTime) TIMESTAMPS.apply(value);
        } catch (ValueRejected e) {
            return null;
        }
    }

    @Override
    public String describe() {
        return provider() + " tracker sync";
    }

    public void setIdField(String idField) {
        this.idField = idField;
    }

    public void setNameField(String nameField) {
        this.nameField = nameField;
    }

    public void setTypeField(String typeField) {
        this.typeField = typeField;
    }

    public void setStatusField(String statusField) {
        this.statusField = statusField;
    }

    public void setNumbersField(String numbersField) {
        this.numbersField = numbersField;
    }

    public void setNumberField(String numberField) {
        this.numberField = numberField;
    }

    public void setSourceField(String sourceField) {
        this.sourceField = sourceField;
    }

    public void setDestinationField(String destinationField) {
        this.destinationField = destinationField;
    }

    public void setCompanyField(String companyField) {
        this.companyField = companyField;
    }

    public void setCreatedField(String createdField) {
        this.createdField = createdField;
    }
}
