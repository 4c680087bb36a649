package com.dce.etl.sink;

import java.util.List;

import com.dce.etl.deadletter.DeadLetter;

/**
 * What commits in the same transaction as a batch's calls: its rejected records as dead letters, a page's checkpoint
 * (may be null), and the inbox entries the batch came from (deleted), so that a crash leaves all of it or none.
 */
public record BatchCompletion(List<DeadLetter> deadLetters, PageCheckpoint checkpoint, List<Long> inboxEntries) {

    public static BatchCompletion nothing() {
        return new BatchCompletion(List.of(), null, List.of());
    }
}
