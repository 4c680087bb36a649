package com.dce.etl.sink;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.EnumMap;

import com.dce.etl.mapping.DceColumn;
import com.dce.etl.mapping.MappedCall;

/**
 * Reads a stored {@code dce_calls} row back as a {@link MappedCall}, to merge it into another row; the row is locked
 * for the rest of the transaction, so nobody changes it between this read and its removal.
 */
final class StoredCallReader {
    private StoredCallReader() {
    }

    static MappedCall readForUpdate(Connection connection, String provider, String externalCallId)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT * FROM dce_calls WHERE provider = ? AND external_call_id = ? FOR UPDATE")) {
            query.setString(1, provider);
            query.setString(2, externalCallId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                EnumMap<DceColumn, Object> values = new EnumMap<>(DceColumn.class);
                for (DceColumn column : DceColumn.values()) {
                    Object value = switch (column.type()) {
                        case TEXT, JSON -> row.getString(column.columnName());
                        case INTEGER -> row.getObject(column.columnName(), Integer.class);
                        case DECIMAL -> row.getObject(column.columnName(), BigDecimal.class);
                        case BOOLEAN -> row.getObject(column.columnName(), Boolean.class);
                        case TIMESTAMP -> row.getObject(column.columnName(), OffsetDateTime.class);
                        case PHONE_LIST -> throw new IllegalStateException(column + " holds no list");
                    };
                    if (value != null) {
                        values.put(column, value);
                    }
                }
                return new MappedCall(provider, values, row.getString("source_payload"));
            }
        }
    }
}
