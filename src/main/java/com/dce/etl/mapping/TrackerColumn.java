package com.dce.etl.mapping;

/**
 * The columns a tracker mapping file ({@code <provider>-trackers.yaml}) fills: one tracker, whose numbers become rows
 * of {@code dce_tracking_numbers} (a session tracker has a pool of them).
 */
public enum TrackerColumn implements TargetColumn {
    EXTERNAL_TRACKER_ID(ValueType.TEXT),
    TRACKER_NAME(ValueType.TEXT),
    TRACKER_TYPE(ValueType.TEXT),
    STATUS(ValueType.TEXT),
    /** Every number of the tracker, E.164; invalid ones are left out. */
    TRACKING_NUMBERS(ValueType.PHONE_LIST),
    SOURCE_NAME(ValueType.TEXT),
    DESTINATION_NUMBER(ValueType.TEXT) {
        @Override
        public String defaultTransform() {
            return "phone";
        }
    },
    COMPANY_ID(ValueType.TEXT),
    CREATED_AT(ValueType.TIMESTAMP);

    private final ValueType type;

    TrackerColumn(ValueType type) {
        this.type = type;
    }

    @Override
    public String columnName() {
        return name().toLowerCase();
    }

    @Override
    public ValueType type() {
        return type;
    }
}
