package com.dce.etl.mapping;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The DCE {@code call_status} words (SPEC section 4) and which of them end a call. {@code unknown} counts as an end:
 * it is what a call that ended with a word the mapping file does not know gets, so an {@code in_progress} event
 * arriving after it must not take the call back.
 */
public final class StatusVocabulary {
    public static final String IN_PROGRESS = "in_progress";
    public static final String UNKNOWN = "unknown";

    public static final List<String> TERMINAL =
            List.of("completed", "no_answer", "busy", "voicemail", "abandoned", "rejected", "failed", UNKNOWN);

    public static final Set<String> ALL =
            Set.copyOf(Stream.concat(TERMINAL.stream(), Stream.of(IN_PROGRESS)).toList());

    private StatusVocabulary() {
    }
}
