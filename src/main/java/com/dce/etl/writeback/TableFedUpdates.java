package com.dce.etl.writeback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.config.Settings;
import com.dce.etl.db.Transactions;
import com.dce.etl.input.Refused;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Feeds the write-back outbox from a table of the user's own (for example CRM conversions), for the example route in
 * {@code routes/writeback-from-table.camel.yaml}: {@code dce.writeback.table-feed.select} returns the rows not yet
 * pushed, with an {@code id} column, a {@code call} column and columns named like update fields ({@code revenue},
 * {@code buyer_converted}, ...); each row becomes an update and {@code dce.writeback.table-feed.mark} (one {@code ?}:
 * the row's id) marks it pushed, in the same transaction as the outbox insert: a row is queued once or not at all. A
 * row that is not a valid update is left unmarked and logged.
 */
public final class TableFedUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(TableFedUpdates.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final Settings settings;
    private final CallUpdateRequests requests;
    private final CallUpdateStore store;

    public TableFedUpdates(DataSource dataSource, Settings settings, CallUpdateRequests requests,
            CallUpdateStore store) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.requests = requests;
        this.store = store;
    }

    /** The example route's step: queues the rows the select finds. */
    public int pull() throws SQLException {
        int queued = Transactions.run(dataSource, this::queue);
        if (queued > 0) {
            LOG.info("{} call update(s) queued from the table feed", queued);
        }
        return queued;
    }

    /** Queues each row that is a valid update and marks it, within the caller's transaction; how many. */
    private int queue(Connection connection) throws SQLException {
        String provider = settings.get("dce.writeback.table-feed.provider", "trackdrive");
        int queued = 0;
        try (PreparedStatement rows = connection.prepareStatement(settings.require("dce.writeback.table-feed.select"));
                PreparedStatement pushed = connection.prepareStatement(
                        settings.require("dce.writeback.table-feed.mark"))) {
            rows.setMaxRows(settings.getInt("dce.writeback.table-feed.batch", 500));
            try (ResultSet row = rows.executeQuery()) {
                while (row.next()) {
                    Object id = row.getObject("id");
                    try {
                        store.add(connection, requests.check(update(row, provider)));
                    } catch (Refused refused) {
                        LOG.warn("Row {} of the table feed is not a call update, left unmarked: {}", id,
                                refused.getMessage());
                        continue;
                    }
                    pushed.setObject(1, id);
                    pushed.executeUpdate();
                    queued++;
                }
            }
        }
        return queued;
    }

    /** The row as an update: every column but {@code id} is a field, named by its label. */
    private static ObjectNode update(ResultSet row, String provider) throws SQLException {
        ObjectNode update = JSON.createObjectNode().put("provider", provider);
        ResultSetMetaData columns = row.getMetaData();
        for (int c = 1; c <= columns.getColumnCount(); c++) {
            String name = columns.getColumnLabel(c).toLowerCase(Locale.ROOT);
            Object value = row.getObject(c);
            if (!name.equals("id") && value != null) {
                update.set(name, JSON.valueToTree(value instanceof Number || value instanceof Boolean ? value
                        : value.toString()));
            }
        }
        return update;
    }
}
