package com.dce.etl.support;

import java.nio.file.Path;

/**
 * Which database the tests run on: H2 (default) or PostgreSQL, chosen by the system property {@code dce.test.db}.
 * The Maven build runs the suite once for each.
 */
public final class TestDatabase {
    private TestDatabase() {
    }

    public static boolean postgres() {
        return "postgres".equals(System.getProperty("dce.test.db", "h2"));
    }

    /** The JDBC URL of a fresh, empty database. */
    public static String freshUrl(Path dir) {
        if (postgres()) {
            return LocalPostgres.shared().newDatabase();
        }
        // AUTO_SERVER lets a test read the database while a service process holds it
        return "jdbc:h2:file:" + dir.resolve("dce").toAbsolutePath() + ";AUTO_SERVER=TRUE";
    }

    /**
     * A fresh database only the service process opens. On H2 without AUTO_SERVER, which makes H2 close the database
     * from its own shutdown hook at SIGTERM, while the service still drains what is in flight.
     */
    public static String exclusiveUrl(Path dir) {
        return postgres() ? LocalPostgres.shared().newDatabase() : "jdbc:h2:file:" + dir.resolve("dce").toAbsolutePath();
    }

    public static String user() {
        return postgres() ? "postgres" : "sa";
    }
}
