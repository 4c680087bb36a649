package com.dce.etl.support;

import java.nio.file.Path;

import com.dce.etl.db.Database;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Migrated databases for tests that exercise the storage classes without the whole service. */
public final class TestDatabases {
    private TestDatabases() {
    }

    /** A migrated database of the kind the suite runs on (see {@link TestDatabase}). */
    public static HikariDataSource fresh(Path dir) {
        return migrated(TestDatabase.freshUrl(dir), TestDatabase.user(), "");
    }

    public static HikariDataSource migrated(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(4);
        HikariDataSource dataSource = new HikariDataSource(config);
        Database.migrate(dataSource, url);
        return dataSource;
    }
}
