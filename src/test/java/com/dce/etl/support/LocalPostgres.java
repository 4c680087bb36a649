package com.dce.etl.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests, run from the machine's server binaries (Debian's postgresql package, which
 * .ci/run installs) in a throw-away data directory on a free port. PostgreSQL refuses to run as root, so as root the
 * server runs as the postgres user. One server per test JVM; each test gets its own database. The server can be
 * stopped and started again to play a database outage.
 */
public final class LocalPostgres {
    private static LocalPostgres shared;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path dataDir;
    private final int port;

    private LocalPostgres(Path bin, Path dataDir, int port) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.port = port;
    }

    public static synchronized LocalPostgres shared() {
        if (shared == null) {
            try {
                shared = create();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the test PostgreSQL server: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stopQuietly));
        }
        return shared;
    }

    private static LocalPostgres create() throws IOException {
        Path bin = findBin();
        Path root = Files.createTempDirectory(Path.of("/tmp"), "dce-pg");
        Path dataDir = root.resolve("data");
        LocalPostgres server = new LocalPostgres(bin, dataDir, RunningService.freePort());
        if (isRoot()) {
            server.run(List.of("chown", "postgres", root.toString()), false);
        }
        server.run(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--no-sync", "--locale=C"), true);
        server.start();
        return server;
    }

    private static Path findBin() throws IOException {
        String configured = System.getenv("DCE_TEST_PG_BIN");
        if (configured != null) {
            return Path.of(configured);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                        .sorted().reduce((a, b) -> b);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new IOException("no PostgreSQL server binaries under /usr/lib/postgresql (install Debian's postgresql"
                + " package, as .ci/run does, or set DCE_TEST_PG_BIN)");
    }

    /**
     * Starts the server. The tests' server writes nothing to disk before it answers a commit (their data is thrown
     * away); with the system property {@code dce.test.pg.durable=true} (the benchmark's) it keeps PostgreSQL's own
     * defaults, so a commit, and a webhook's 202, waits for its WAL to be on disk as in production.
     * {@code dce.test.pg.settings} adds settings of its own ({@code name=value}, separated by spaces).
     */
    public void start() {
        String settings = Boolean.getBoolean("dce.test.pg.durable") ? ""
                : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        for (String setting : System.getProperty("dce.test.pg.settings", "").trim().split("\\s+")) {
            settings += setting.isEmpty() ? "" : " -c " + setting;
        }
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-t", "60",
                "-l", dataDir.resolveSibling("server.log").toString(), "-o",
                "-p " + port + " -k " + dataDir.getParent() + " -c listen_addresses=127.0.0.1" + settings
                        + " -c max_connections=300",
                "start"), true);
    }

    /** Stops the server at once (in-flight transactions are rolled back), as an outage would. */
    public void stop() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-m", "fast", "stop"), true);
    }

    private void stopQuietly() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "stop"), true);
        } catch (RuntimeException ignored) {
            // the JVM is exiting; the data directory goes below all the same
        }
        TestTemporaryFiles.deleteContents(dataDir.getParent());
        try {
            Files.deleteIfExists(dataDir.getParent());
        } catch (IOException notEmpty) {
            // a file the stopped server still held
        }
    }

    /** A new, empty database; its JDBC URL. */
    public String newDatabase() {
        String name = "dce_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        onServer("CREATE DATABASE " + name, "cannot create test database " + name);
        return url(name);
    }

    /** Drops a database made by {@link #newDatabase}, ending the sessions still on it (autovacuum's among them). */
    public void dropDatabase(String url) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        onServer("DROP DATABASE " + name + " WITH (FORCE)", "cannot drop test database " + name);
    }

    /** One statement on the server's own {@code postgres} database, as its superuser. */
    private void onServer(String sql, String failure) {
        try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(failure, e);
        }
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void run(List<String> command, boolean asServerUser) {
        List<String> full = new ArrayList<>();
        if (asServerUser && isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", full) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
