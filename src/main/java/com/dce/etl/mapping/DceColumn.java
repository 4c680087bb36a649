package com.dce.etl.mapping;

import java.sql.Types;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The columns of {@code dce_calls} that a mapping file may fill. The pipeline itself sets {@code provider},
 * {@code source_payload}, {@code ingest_channel}, {@code first_seen_at} and {@code last_updated_at}.
 */
public enum DceColumn implements TargetColumn {
    EXTERNAL_CALL_ID(ValueType.TEXT, "id", 255),
    CALL_UUID(ValueType.TEXT, "id", 255),
    CALLER_PHONE(ValueType.TEXT, "phone", 32),
    TRACKING_NUMBER(ValueType.TEXT, "phone", 32),
    DESTINATION_NUMBER(ValueType.TEXT, "phone", 32),
    CALLER_CITY(ValueType.TEXT, 1000),
    CALLER_STATE(ValueType.TEXT, 1000),
    CALLER_COUNTRY(ValueType.TEXT, 1000),
    CAMPAIGN_ID(ValueType.TEXT, 1000),
    CAMPAIGN_NAME(ValueType.TEXT, 1000),
    PUBLISHER_ID(ValueType.TEXT, 1000),
    PUBLISHER_NAME(ValueType.TEXT, 1000),
    BUYER_ID(ValueType.TEXT, 1000),
    BUYER_NAME(ValueType.TEXT, 1000),
    DIRECTION(ValueType.TEXT, 1000),
    CALL_STATUS(ValueType.TEXT, "status", 16),
    PROVIDER_STATUS(ValueType.TEXT, 1000),
    CALL_DURATION(ValueType.INTEGER),
    CALL_START_TIME(ValueType.TIMESTAMP),
    CALL_ANSWER_TIME(ValueType.TIMESTAMP),
    CALL_END_TIME(ValueType.TIMESTAMP),
    CALL_VALUE(ValueType.DECIMAL),
    PUBLISHER_PAYOUT(ValueType.DECIMAL),
    IS_CONVERTED(ValueType.BOOLEAN),
    OFFER_CONVERTED(ValueType.BOOLEAN),
    RECORDING_URL(ValueType.TEXT, 4000),
    CALL_TRANSCRIPT(ValueType.TEXT),
    CUSTOM_DATA(ValueType.JSON),
    /** The provider's own "last changed" time of the record; orders deliveries that arrive out of order. */
    SOURCE_UPDATED_AT(ValueType.TIMESTAMP);

    private static final Map<String, DceColumn> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toMap(DceColumn::columnName, Function.identity()));

    private final ValueType type;
    private final String defaultTransform;
    /** The VARCHAR length in V1__dce_schema.sql. */
    private final int maxLength;
    private final String columnName;

    DceColumn(ValueType type) {
        this(type, null, Integer.MAX_VALUE);
    }

    DceColumn(ValueType type, int maxLength) {
        this(type, null, maxLength);
    }

    DceColumn(ValueType type, String defaultTransform, int maxLength) {
        this.type = type;
        this.defaultTransform = defaultTransform;
        this.maxLength = maxLength;
        this.columnName = name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String columnName() {
        return columnName;
    }

    @Override
    public ValueType type() {
        return type;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public String defaultTransform() {
        return defaultTransform != null ? defaultTransform : TargetColumn.super.defaultTransform();
    }

    public static Optional<DceColumn> byName(String columnName) {
        return Optional.ofNullable(BY_NAME.get(columnName));
    }

    /**
     * The JDBC type of a {@code dce_calls} column, for binding its NULLs: a DCE column's own type; the table's own
     * columns are times ({@code first_seen_at}, {@code last_updated_at}) or text.
     */
    public static int jdbcTypeOf(String callsColumn) {
        return byName(callsColumn).map(column -> column.type().jdbcType())
                .orElse(callsColumn.endsWith("_at") ? Types.TIMESTAMP_WITH_TIMEZONE : Types.VARCHAR);
    }
}
