package com.dce.etl.support;

import java.util.EnumMap;
import java.util.Map;

import com.dce.etl.mapping.DceColumn;
import com.dce.etl.mapping.MappedCall;

/** TrackDrive calls as the mapping step makes them, for tests of the writer. */
public final class MappedCalls {
    private MappedCalls() {
    }

    /** A call with the given keys (either may be null) and column, value pairs. */
    public static MappedCall trackdrive(String id, String uuid, Object... columnsAndValues) {
        Map<DceColumn, Object> values = new EnumMap<>(DceColumn.class);
        if (id != null) {
            values.put(DceColumn.EXTERNAL_CALL_ID, id);
        }
        if (uuid != null) {
            values.put(DceColumn.CALL_UUID, uuid);
        }
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            values.put((DceColumn) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return new MappedCall("trackdrive", values, "{\"id\":\"" + id + "\",\"uuid\":\"" + uuid + "\",\"n\":"
                + columnsAndValues.length + "}");
    }
}
