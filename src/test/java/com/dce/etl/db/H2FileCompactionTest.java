package com.dce.etl.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.config.Settings;
import com.zaxxer.hikari.HikariDataSource;

/**
 * An H2 file that churned (rows written and deleted, as the inbox does with every webhook) gives its free space back
 * when the service closes it, and keeps every row that is still there. H2 only (excluded from the PostgreSQL run).
 */
class H2FileCompactionTest {
    private static final String PAYLOAD = "x".repeat(2000);

    @TempDir
    Path dir;

    @Test
    void aChurnedFileShrinksWhenTheServiceClosesIt() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("dce").toAbsolutePath();
        Path file = dir.resolve("dce.mv.db");
        Settings settings = new Settings(new DefaultCamelContext().getPropertiesComponent());
        long whileOpen;
        try (HikariDataSource dataSource = Database.open(settings, url);
                Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id INT PRIMARY KEY, payload VARCHAR)");
                statement.execute("CREATE TABLE churn (id INT PRIMARY KEY, payload VARCHAR)");
            }
            // about 550 MB of file: with less churn (3 rounds of 6,000 rows) H2's default 200 ms of compaction
            // also shrank it enough, and this test could not fail
            for (int round = 0; round < 4; round++) {
                insert(connection, "churn", 0, 10_000);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DELETE FROM churn");
                }
            }
            insert(connection, "kept", 0, 2_000);
            whileOpen = Files.size(file);
        }
        long closed = Files.size(file);
        assertThat(closed).as("bytes after closing, against %d while open", whileOpen).isLessThan(whileOpen / 3);

        try (HikariDataSource dataSource = Database.open(settings, url);
                Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*), SUM(LENGTH(payload)) FROM kept")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(2_000);
            assertThat(rows.getLong(2)).isEqualTo(2_000L * PAYLOAD.length());
        }
    }

    /** Rows {@code from} to {@code to}, committed every 500 as the pipeline commits its batches. */
    private static void insert(Connection connection, String table, int from, int to) throws Exception {
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
            for (int id = from; id < to; id++) {
                insert.setInt(1, id);
                insert.setString(2, PAYLOAD);
                insert.addBatch();
                if (id % 500 == 499) {
                    insert.executeBatch();
                    connection.commit();
                }
            }
            insert.executeBatch();
            connection.commit();
        }
        connection.setAutoCommit(true);
    }
}
