package com.dce.etl.mapping;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a kind of mapping file produces: calls ({@code <provider>.yaml}, DCE columns) or trackers
 * ({@code <provider>-trackers.yaml}); the columns it may fill and the rule its key columns must meet.
 *
 * @param suffix what follows the provider in the file name ("" for calls)
 * @param keyRule whether the mapped columns identify a record
 * @param keyNeed what the key rule asks, for the error message
 */
public record TargetSchema<C extends Enum<C> & TargetColumn>(String kind, String suffix, Class<C> columns,
        Predicate<Set<C>> keyRule, String keyNeed) {

    public static final TargetSchema<DceColumn> CALLS = new TargetSchema<>("calls", "", DceColumn.class,
            mapped -> mapped.contains(DceColumn.EXTERNAL_CALL_ID) || mapped.contains(DceColumn.CALL_UUID),
            "must map external_call_id or call_uuid, or calls could not be told apart");

    public static final TargetSchema<TrackerColumn> TRACKERS = new TargetSchema<>("trackers", "-trackers",
            TrackerColumn.class,
            mapped -> mapped.contains(TrackerColumn.EXTERNAL_TRACKER_ID)
                    && mapped.contains(TrackerColumn.TRACKING_NUMBERS),
            "must map external_tracker_id and tracking_numbers");

    public static final List<TargetSchema<?>> ALL = List.of(CALLS, TRACKERS);

    public Optional<C> column(String name) {
        return Arrays.stream(columns.getEnumConstants()).filter(c -> c.columnName().equals(name)).findFirst();
    }

    public String knownColumns() {
        return Arrays.stream(columns.getEnumConstants()).map(TargetColumn::columnName)
                .collect(Collectors.joining(", "));
    }
}
