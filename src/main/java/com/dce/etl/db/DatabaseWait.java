package com.dce.etl.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dce.etl.config.ConfigurationException;

/**
 * Start-up waits for its database for at most {@code dce.db.startup-timeout-seconds}, one log line per attempt, so a
 * service started beside its database (compose, systemd) comes up when it does; then stops with one line. A refused
 * login or a database that does not exist is not waited for: those are configuration mistakes.
 */
public final class DatabaseWait {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseWait.class);
    /** SQLState classes that mean "wrong URL, user or password", not "not up yet" (28: authorization, 3D: catalog). */
    private static final String[] NOT_WORTH_WAITING = {"28", "3D"};

    private DatabaseWait() {
    }

    public static void until(DataSource dataSource, String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration pause = Duration.ofSeconds(1);
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                if (attempt > 1) {
                    LOG.info("Database reached after {} attempts", attempt);
                }
                return;
            } catch (SQLException e) {
                String reason = SqlFailures.describe(e);
                if (refused(e)) {
                    throw new ConfigurationException("dce.db.url / dce.db.user / dce.db.password: " + redacted(url)
                            + " refused the connection: " + reason);
                }
                if (System.nanoTime() + pause.toNanos() > deadline) {
                    throw new ConfigurationException("dce.db.url: " + redacted(url) + " not reachable after "
                            + timeout.toSeconds() + " s (dce.db.startup-timeout-seconds): " + reason);
                }
                LOG.warn("Database {} not reachable yet (attempt {}), trying again in {} s: {}", redacted(url),
                        attempt, pause.toSeconds(), reason);
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ConfigurationException("dce.db.url: start-up interrupted while waiting for the database");
                }
                pause = Duration.ofSeconds(Math.min(10, pause.toSeconds() * 2));
            }
        }
    }

    private static boolean refused(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                for (String prefix : NOT_WORTH_WAITING) {
                    if (sql.getSQLState().startsWith(prefix)) {
                        return true;
                    }
                }
                // H2: wrong user name or password (28000), database not found (90146 / 90013)
                if (sql.getErrorCode() == 90146 || sql.getErrorCode() == 90013) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The URL without a password a user may have put in it. */
    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
