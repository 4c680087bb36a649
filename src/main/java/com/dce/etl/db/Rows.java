package com.dce.etl.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/** A query's rows, each read into a value, for the small stores that keep their state in a table. */
public final class Rows {
    /** Reads the current row of {@code rows}. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private Rows() {
    }

    /** Up to {@code limit} rows of {@code sql} with {@code parameters}, in its order (0: all). */
    public static <T> List<T> list(DataSource dataSource, String sql, int limit, Reader<T> reader,
            Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setMaxRows(limit);
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<T> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(reader.read(rows));
                }
            }
            return found;
        }
    }
}
