package com.dce.etl.mapping;

/**
 * The columns a tracker mapping file ({@code <provider>-trackers.yaml}) fills: one tracker, whose numbers become rows
 * of {@code dce_tracking_numbers} (a session tracker has a pool of them).
 */
public enum TrackerColumn implements TargetColumn {
    EXTERNAL_TRACKER_ID(ValueType.TEXT, 255),
    TRACKER_NAME(ValueType.TEXT, 1000),
    TRACKER_TYPE(ValueType.TEXT, 16),
    STATUS(ValueType.TEXT, 32),
    /** Every number of the tracker, E.164; invalid ones are left out. */
    TRACKING_NUMBERS(ValueType.PHONE_LIST),
    SOURCE_NAME(ValueType.TEXT, 1000),
    DESTINATION_NUMBER(ValueType.TEXT, 32) {
        @Override
        public String defaultTransform() {
            return "phone";
        }
    },
    COMPANY_ID(ValueType.TEXT, 255),
    CREATED_AT(ValueType.TIMESTAMP);

    private final ValueType type;
    /** The VARCHAR length in the schema migrations. */
    private final int maxLength;

    TrackerColumn(ValueType type) {
        this(type, Integer.MAX_VALUE);
    }

    TrackerColumn(ValueType type, int maxLength) {
        this.type = type;
        this.maxLength = maxLength;
    }

    @Override
    public int maxLength() {
        return maxLength;
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
