package com.dce.etl.mapping;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The columns of {@code dce_calls} that a mapping file may fill. The pipeline itself sets {@code provider},
 * {@code source_payload}, {@code ingest_channel}, {@code first_seen_at} and {@code last_updated_at}.
 */
public enum DceColumn implements TargetColumn {
    EXTERNAL_CALL_ID(ValueType.TEXT),
    CALL_UUID(ValueType.TEXT),
    CALLER_PHONE(ValueType.TEXT, "phone"),
    TRACKING_NUMBER(ValueType.TEXT, "phone"),
    DESTINATION_NUMBER(ValueType.TEXT, "phone"),
    CALLER_CITY(ValueType.TEXT),
    CALLER_STATE(ValueType.TEXT),
    CALLER_COUNTRY(ValueType.TEXT),
    CAMPAIGN_ID(ValueType.TEXT),
    CAMPAIGN_NAME(ValueType.TEXT),
    PUBLISHER_ID(ValueType.TEXT),
    PUBLISHER_NAME(ValueType.TEXT),
    BUYER_ID(ValueType.TEXT),
    BUYER_NAME(ValueType.TEXT),
    DIRECTION(ValueType.TEXT),
    CALL_STATUS(ValueType.TEXT, "status"),
    PROVIDER_STATUS(ValueType.TEXT),
    CALL_DURATION(ValueType.INTEGER),
    CALL_START_TIME(ValueType.TIMESTAMP),
    CALL_ANSWER_TIME(ValueType.TIMESTAMP),
    CALL_END_TIME(ValueType.TIMESTAMP),
    CALL_VALUE(ValueType.DECIMAL),
    PUBLISHER_PAYOUT(ValueType.DECIMAL),
    IS_CONVERTED(ValueType.BOOLEAN),
    OFFER_CONVERTED(ValueType.BOOLEAN),
    RECORDING_URL(ValueType.TEXT),
    CALL_TRANSCRIPT(ValueType.TEXT),
    CUSTOM_DATA(ValueType.JSON),
    /** The provider's own "last changed" time of the record; orders deliveries that arrive out of order. */
    SOURCE_UPDATED_AT(ValueType.TIMESTAMP);

    private static final Map<String, DceColumn> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toMap(DceColumn::columnName, Function.identity()));

    private final ValueType type;
    private final String defaultTransform;

    DceColumn(ValueType type) {
        this(type, null);
    }

    DceColumn(ValueType type, String defaultTransform) {
        this.type = type;
        this.defaultTransform = defaultTransform;
    }

    @Override
    public String columnName() {
        return name().toLowerCase();
    }

    @Override
    public ValueType type() {
        return type;
    }

    @Override
    public String defaultTransform() {
        return defaultTransform != null ? defaultTransform : TargetColumn.super.defaultTransform();
    }

    public static Optional<DceColumn> byName(String columnName) {
        return Optional.ofNullable(BY_NAME.get(columnName));
    }
}
