package com.dce.etl.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dce.etl.config.Settings;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The service's H2 page cache is sized by the heap (H2's own 16 MB, whatever the heap, kept the collector busy in a
 * 256 MB heap), and a URL that sets CACHE_SIZE keeps its own. H2 only (excluded from the PostgreSQL run).
 */
class H2PageCacheTest {
    @TempDir
    Path dir;

    @Test
    void theCacheIsASixtyFourthOfTheHeapUnlessTheUrlSaysOtherwise() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("dce").toAbsolutePath();
        long heapMegabytes = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        assertThat(cacheMegabytes(url)).as("cache of a %d MB heap", heapMegabytes)
                .isEqualTo(Math.max(4, heapMegabytes / 64));
        assertThat(cacheMegabytes(url + ";CACHE_SIZE=12288")).isEqualTo(12);
    }

    private static long cacheMegabytes(String url) throws Exception {
        Settings settings = new Settings(new DefaultCamelContext().getPropertiesComponent());
        try (HikariDataSource dataSource = Database.open(settings, url);
                Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet setting = statement.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                        + " WHERE SETTING_NAME = 'info.CACHE_MAX_SIZE'")) {
            setting.next();
            return Long.parseLong(setting.getString(1));
        }
    }
}
