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
                    if (value instanceof java.sql.Timestamp timestamp) {
                        // PostgreSQL's driver answers timestamptz as Timestamp, H2 as OffsetDateTime
                        value = timestamp.toInstant().atOffset(java.time.ZoneOffset.UTC);
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

    /**
     * From now on, inserting the call with this external id into dce_calls fails like a lost connection (SQLState
     * 08006), inside the database itself: a page fetched but never committed.
     */
    public void failInsertsOf(String externalCallId) throws SQLException {
        if (TestDatabase.postgres()) {
            execute("CREATE OR REPLACE FUNCTION dce_test_fail() RETURNS trigger AS $$ BEGIN"
                    + " IF NEW.external_call_id = '" + externalCallId + "' THEN"
                    + " RAISE EXCEPTION 'simulated connection loss while committing' USING ERRCODE = '08006';"
                    + " END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
            execute("CREATE TRIGGER dce_test_fail BEFORE INSERT ON dce_calls FOR EACH ROW"
                    + " EXECUTE FUNCTION dce_test_fail()");
        } else {
            FailingInsertTrigger.failingId = externalCallId;
            execute("CREATE TRIGGER dce_test_fail BEFORE INSERT ON dce_calls FOR EACH ROW CALL \""
                    + FailingInsertTrigger.class.getName() + "\"");
        }
    }

    /** From now on, every delete from {@code table} fails inside the database. */
    public void failDeletesFrom(String table) throws SQLException {
        if (TestDatabase.postgres()) {
            execute("CREATE OR REPLACE FUNCTION dce_test_fail_delete() RETURNS trigger AS $$ BEGIN"
                    + " RAISE EXCEPTION 'simulated failure while deleting'; END $$ LANGUAGE plpgsql");
            execute("CREATE TRIGGER dce_test_fail_delete BEFORE DELETE ON " + table + " FOR EACH ROW"
                    + " EXECUTE FUNCTION dce_test_fail_delete()");
        } else {
            execute("CREATE TRIGGER dce_test_fail_delete BEFORE DELETE ON " + table + " FOR EACH ROW CALL \""
                    + FailingDeleteTrigger.class.getName() + "\"");
        }
    }

    public void stopFailingDeletesFrom(String table) throws SQLException {
        execute(TestDatabase.postgres() ? "DROP TRIGGER dce_test_fail_delete ON " + table
                : "DROP TRIGGER dce_test_fail_delete");
    }

    public void stopFailingInserts() throws SQLException {
        execute(TestDatabase.postgres() ? "DROP TRIGGER dce_test_fail ON dce_calls" : "DROP TRIGGER dce_test_fail");
        FailingInsertTrigger.failingId = null;
    }

    /** Empties the DCE tables between tests. */
    public void clear() throws SQLException {
        for (String table : List.of("dce_calls", "dce_dead_letters", "dce_inbox", "dce_poll_state",
                "dce_tracking_numbers")) {
            execute("DELETE FROM " + table);
        }
    }
}
