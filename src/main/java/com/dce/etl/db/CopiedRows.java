package com.dce.etl.db;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * {@link NewRows} as one PostgreSQL {@code COPY ... FROM STDIN} (CSV) per send. A batched INSERT costs a Bind and an
 * Execute message per row: in a flight recording of a bulk load, pgjdbc encoding them took 21% of the storing thread's
 * samples and waiting on their round trips another 15%. The rows are kept as UTF-8 bytes and written to the COPY as
 * they are: built as text (a growing StringBuilder, then its String, which pgjdbc read back through a Reader and
 * encoded again), they were a third of everything the service allocated during a bulk load (2.3 of 6.8 GB in 10 s).
 */
final class CopiedRows implements NewRows {
    private static final int INITIAL_BYTES = 64 * 1024;
    /** What one CopyData message carries, as pgjdbc's own {@code copyIn(String, InputStream)} sends it. */
    private static final int MESSAGE_BYTES = 64 * 1024;
    private final CopyManager copy;
    private final String sql;
    private byte[] csv = new byte[INITIAL_BYTES];
    private int length;
    private int pending;

    CopiedRows(Connection connection, String table, List<String> columns) throws SQLException {
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
        this.sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN WITH (FORMAT csv)";
    }

    @Override
    public void add(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                put((byte) ',');
            }
            field(values[i]);
        }
        put((byte) '\n');
        pending++;
    }

    /** NULL is an unquoted empty field; every value is quoted, so an empty text stays an empty text. */
    private void field(Object value) {
        if (value == null) {
            return;
        }
        String text = value instanceof BigDecimal number ? number.toPlainString() : value.toString();
        put((byte) '"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                // the rest as UTF-8; a quote byte never occurs inside a multi-byte character, so doubling quote
                // bytes is CSV's quoting still
                quoted(text.substring(i).getBytes(StandardCharsets.UTF_8));
                break;
            }
            if (c == '"') {
                put((byte) '"');
            }
            put((byte) c);
        }
        put((byte) '"');
    }

    private void quoted(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '"') {
                put((byte) '"');
            }
            put(b);
        }
    }

    private void put(byte b) {
        if (length == csv.length) {
            csv = Arrays.copyOf(csv, csv.length * 2);
        }
        csv[length++] = b;
    }

    @Override
    public int send() throws SQLException {
        if (pending == 0) {
            return 0;
        }
        CopyIn in = copy.copyIn(sql);
        try {
            for (int from = 0; from < length; from += MESSAGE_BYTES) {
                in.writeToCopy(csv, from, Math.min(MESSAGE_BYTES, length - from));
            }
            return Math.toIntExact(in.endCopy());
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
            length = 0;
            pending = 0;
        }
    }

    @Override
    public void close() {
        length = 0;
    }
}
