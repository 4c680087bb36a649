package com.dce.etl.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/** Plain SQL against the service's database, for assertions on exact rows. */
public final class Db {
    private final DataSource dataSource;

    public Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Rows as column-name (lower case) to value maps. */
    public List<Map<String, Object>> rows(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rows.getMetaData();
            List<Map<String, Object>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rows.getObject(i);
                    if (value instanceof java.sql.Clob clob) {
                        value = clob.getSubString(1, (int) clob.length());
                    }
                    row.put(meta.getColumnLabel(i).toLowerCase(), value);
                }
                result.add(row);
            }
            return result;
        }
    }

    public Map<String, Object> row(String sql) throws SQLException {
        List<Map<String, Object>> rows = rows(sql);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row from " + sql + " but got " + rows.size() + ": " + rows);
        }
        return rows.get(0);
    }

    public long count(String table) throws SQLException {
        return ((Number) row("SELECT COUNT(*) AS n FROM " + table).get("n")).longValue();
    }

    public void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Empties the DCE tables between tests. */
    public void clear() throws SQLException {
        for (String table : List.of("dce_calls", "dce_dead_letters", "dce_inbox", "dce_poll_state",
                "dce_tracking_numbers")) {
            execute("DELETE FROM " + table);
        }
    }
}
