package com.dce.etl.mapping;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The DCE {@code call_status} words (SPEC section 4) and which of them end a call. */
public final class StatusVocabulary {
    public static final String IN_PROGRESS = "in_progress";
    public static final String UNKNOWN = "unknown";

    public static final List<String> TERMINAL =
            List.of("completed", "no_answer", "busy", "voicemail", "abandoned", "rejected", "failed");

    public static final Set<String> ALL =
            Set.copyOf(Stream.concat(TERMINAL.stream(), Stream.of(IN_PROGRESS, UNKNOWN)).toList());

    private StatusVocabulary() {
    }
}
