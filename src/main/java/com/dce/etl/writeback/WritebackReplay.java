package com.dce.etl.writeback;

import java.sql.SQLException;

import com.dce.etl.input.Refused;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The replay of a write-back dead letter: its payload (the update as asked for, with the id it had) is checked and
 * queued as a new update, which goes out after any other pending update of its call.
 */
public final class WritebackReplay {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallUpdateRequests requests;
    private final CallUpdateStore store;

    public WritebackReplay(CallUpdateRequests requests, CallUpdateStore store) {
        this.requests = requests;
        this.store = store;
    }

    /** The new update's id. */
    public long requeue(String payload) throws Refused, SQLException {
        JsonNode update;
        try {
            update = JSON.readTree(payload);
        } catch (Exception notJson) {
            update = null;
        }
        if (update instanceof ObjectNode object) {
            object.remove("update_id");
        }
        return store.add(requests.check(update)).get(0);
    }
}
