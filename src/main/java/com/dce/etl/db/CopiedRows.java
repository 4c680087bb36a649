package com.dce.etl.db;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * {@link NewRows} as one PostgreSQL {@code COPY ... FROM STDIN} (CSV) per send. A batched INSERT costs a Bind and an
 * Execute message per row: in a flight recording of a bulk load, pgjdbc encoding them took 21% of the storing thread's
 * samples and waiting on their round trips another 15%.
 * <p>
 * Rows are written as UTF-8 bytes into one buffer of a CopyData message, which goes to the server whenever it fills:
 * the server stores those rows while the next are written, and the buffer stays the size of a message. Kept whole
 * until the send, it grew by doubling to a page's 1.2 MB in every transaction, 4 GB of copied arrays in 34 s of a
 * bulk load (a flight recording), a fifth of what the service allocated. Numbers and times are written as digits
 * straight into the buffer (their {@code toString} made 1.7 GB of strings in the same 34 s).
 */
final class CopiedRows implements NewRows {
    /** What one CopyData message carries, as pgjdbc's own {@code copyIn(String, InputStream)} sends it. */
    private static final int MESSAGE_BYTES = 64 * 1024;
    private final CopyManager copy;
    private final String sql;
    private byte[] csv = new byte[MESSAGE_BYTES + 8 * 1024];
    private final byte[] digits = new byte[20];
    private int length;
    private int pending;
    /** The COPY under way since the first full message of this send; null before. */
    private CopyIn in;

    CopiedRows(Connection connection, String table, List<String> columns) throws SQLException {
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
        this.sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN WITH (FORMAT csv)";
    }

    /** The connection is busy with the COPY from the first full message until {@link #send}. */
    @Override
    public void add(Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                put((byte) ',');
            }
            field(values[i]);
        }
        put((byte) '\n');
        pending++;
        if (length >= MESSAGE_BYTES) {
            writeBuffered();
        }
    }

    /** NULL is an unquoted empty field; texts are quoted, so an empty text stays an empty text. */
    private void field(Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof BigDecimal number) {
            decimal(number);
        } else if (value instanceof Integer || value instanceof Long) {
            integer(((Number) value).longValue());
        } else if (value instanceof OffsetDateTime time) {
            time(time);
        } else {
            quoted(value.toString());
        }
    }

    private void quoted(String text) {
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

    /** Plain digits with the scale's decimals, as {@code toPlainString} writes them (DECIMAL(14, 4) fits a long). */
    private void decimal(BigDecimal number) {
        int scale = number.scale();
        if (scale < 0 || scale > 18 || number.precision() > 18) {
            ascii(number.toPlainString());
            return;
        }
        digits(number.unscaledValue().longValue(), scale);
    }

    private void integer(long value) {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
        } else {
            digits(value, 0);
        }
    }

    /** {@code unscaled} (never Long.MIN_VALUE) in decimal digits, the last {@code scale} of them after a point. */
    private void digits(long unscaled, int scale) {
        long rest = Math.abs(unscaled);
        if (unscaled < 0) {
            put((byte) '-');
        }
        int count = 0;
        do {
            digits[count++] = (byte) ('0' + rest % 10);
            rest /= 10;
        } while (rest > 0 || count <= scale);
        for (int i = count - 1; i >= 0; i--) {
            if (i == scale - 1) {
                put((byte) '.');
            }
            put(digits[i]);
        }
    }

    /**
     * ISO 8601 as PostgreSQL reads it, {@code 2026-01-02 03:04:05.123456789+01:00}: the nanoseconds whole (PostgreSQL
     * rounds them to its microseconds, as it did the {@code toString} text). Years outside 0-9999 and offsets with
     * seconds are rare enough for {@code toString}.
     */
    private void time(OffsetDateTime time) {
        int offset = time.getOffset().getTotalSeconds();
        LocalDateTime local = time.toLocalDateTime();
        if (local.getYear() < 0 || local.getYear() > 9999 || offset % 60 != 0) {
            ascii(time.toString());
            return;
        }
        padded(local.getYear(), 4);
        put((byte) '-');
        padded(local.getMonthValue(), 2);
        put((byte) '-');
        padded(local.getDayOfMonth(), 2);
        put((byte) ' ');
        padded(local.getHour(), 2);
        put((byte) ':');
        padded(local.getMinute(), 2);
        put((byte) ':');
        padded(local.getSecond(), 2);
        if (local.getNano() != 0) {
            put((byte) '.');
            padded(local.getNano(), 9);
        }
        put((byte) (offset < 0 ? '-' : '+'));
        int minutes = Math.abs(offset) / 60;
        padded(minutes / 60, 2);
        put((byte) ':');
        padded(minutes % 60, 2);
    }

    private void padded(int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            digits[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        for (int i = 0; i < width; i++) {
            put(digits[i]);
        }
    }

    /** Text known to be ASCII without quotes or separators (a number, a time). */
    private void ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            put((byte) text.charAt(i));
        }
    }

    private void put(byte b) {
        if (length == csv.length) {
            // a row longer than the slack above a message (a large payload)
            csv = Arrays.copyOf(csv, csv.length * 2);
        }
        csv[length++] = b;
    }

    private void writeBuffered() throws SQLException {
        if (in == null) {
            in = copy.copyIn(sql);
        }
        in.writeToCopy(csv, 0, length);
        length = 0;
    }

    @Override
    public int send() throws SQLException {
        if (pending == 0) {
            return 0;
        }
        try {
            if (length > 0 || in == null) {
                writeBuffered();
            }
            int written = Math.toIntExact(in.endCopy());
            in = null;
            return written;
        } catch (SQLException | RuntimeException e) {
            cancel(e);
            throw e;
        } finally {
            length = 0;
            pending = 0;
        }
    }

    /** Ends a COPY that was left unsent (its transaction is rolled back). */
    @Override
    public void close() throws SQLException {
        length = 0;
        pending = 0;
        CopyIn open = in;
        in = null;
        if (open != null && open.isActive()) {
            open.cancelCopy();
        }
    }

    private void cancel(Exception failure) {
        try {
            close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
