package com.dce.etl.pipeline;

import java.util.ArrayList;
import java.util.List;

import com.dce.etl.deadletter.DeadLetter;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.mapping.ReasonCode;
import com.dce.etl.sink.BatchCompletion;
import com.dce.etl.sink.PageCheckpoint;

/**
 * The message that flows through the load route: a provider's records from one webhook or one poll page, then the
 * calls mapped from them and the records rejected on the way.
 */
public final class CallBatch {
    private final String provider;
    private final String channel;
    private final String routeId;
    private List<SourceRecord> records;
    private final List<MappedCall> calls = new ArrayList<>();
    private final List<DeadLetter> rejected = new ArrayList<>();
    private int loaded;
    private PageCheckpoint checkpoint;
    private boolean mapped;
    private List<Long> inboxEntries = List.of();
    private int inboxAttempt;

    public CallBatch(String provider, String channel, String routeId, List<SourceRecord> records) {
        this.provider = provider;
        this.channel = channel;
        this.routeId = routeId;
        this.records = records;
    }

    public String provider() {
        return provider;
    }

    public String channel() {
        return channel;
    }

    public String routeId() {
        return routeId;
    }

    /** The records to map; none once they are mapped ({@link #isMapped()}). */
    public List<SourceRecord> records() {
        return records;
    }

    public List<MappedCall> calls() {
        return calls;
    }

    public List<DeadLetter> rejected() {
        return rejected;
    }

    public void reject(String payload, ReasonCode reason, String message) {
        rejected.add(new DeadLetter(provider, channel, routeId, reason, message, payload));
    }

    /** For a page of a read: where the read stands once the page is stored, committed with it. */
    public void checkpoint(PageCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    /** Whether the records are mapped already (a page mapped ahead while the one before it was stored). */
    public boolean isMapped() {
        return mapped;
    }

    /**
     * The records are mapped: the calls and the rejects keep what is needed of them (their text), so the records and
     * their JSON trees go now rather than when the page is stored. A page mapped ahead waits a store or two, and every
     * young collection on the way copied the trees it kept.
     */
    void mapped() {
        this.mapped = true;
        this.records = List.of();
    }

    /** The stored webhooks this batch was made of: deleted when it is stored; {@code attempt} is their try. */
    public void inboxEntries(List<Long> ids, int attempt) {
        this.inboxEntries = List.copyOf(ids);
        this.inboxAttempt = attempt;
    }

    public List<Long> inboxEntries() {
        return inboxEntries;
    }

    public int inboxAttempt() {
        return inboxAttempt;
    }

    /** What commits together with the calls. */
    public BatchCompletion completion() {
        return new BatchCompletion(List.copyOf(rejected), checkpoint, inboxEntries);
    }

    public int loaded() {
        return loaded;
    }

    void loaded(int count) {
        loaded = count;
    }
}
