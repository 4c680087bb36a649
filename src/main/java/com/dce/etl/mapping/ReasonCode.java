package com.dce.etl.mapping;

/** Why a record went to {@code dce_dead_letters} (SPEC section 4). */
public enum ReasonCode {
    /** The stored payload is not JSON at all. */
    INVALID_JSON,
    /** The record has none of the fields the mapping uses as its key. */
    MISSING_ID,
    /** A value cannot be read as its column's kind, or the record is not an object. */
    MAPPING_ERROR,
    /** The database refused the row for a reason that retrying will not fix (constraint, value too long). */
    DB_ERROR,
    /** Processing was started this many times without finishing (e.g. the service died on it each time). */
    MAX_ATTEMPTS,
    /** A provider refused a write-back for good (a 4xx other than 429); its answer is the message. */
    PROVIDER_REFUSED,
    /** A write-back that adds to a value was sent and no answer was recorded: a person checks, nothing re-sends it. */
    OUTCOME_UNKNOWN
}
