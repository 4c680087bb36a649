package com.dce.etl.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.dce.etl.db.Database;
import com.dce.etl.support.ApplicationCommand;
import com.dce.etl.support.LocalPostgres;
import com.dce.etl.support.ServiceProcess;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The benchmark of bench/README: for each database, the pipeline's bulk load and re-load of generated TrackDrive
 * pages against a raw JDBC ceiling, webhook ingest under wrk against a bare endpoint, and freshness; every figure beside
 * its baseline from the same run. Prints the table and writes bench/RESULTS.md.
 */
public final class Benchmark {
    private static final String TOKEN = "bench-token";
    /**
     * The server as the README's production section sets it up, not PostgreSQL's defaults, which are sized for a
     * small machine. With 128 MB of shared buffers, pages of dce_calls left them as fast as the loader wrote, Linux
     * held up to 1 GB of them and wrote them out in bursts, several a minute, and a webhook's commit waited behind a
     * burst for up to 510 ms: the webhooks' p99 read 147-201 ms, and 31.6-44.1 ms with 2 GB. With 1 GB of WAL
     * between checkpoints, a checkpoint every 10-43 s made the first change of every page write the whole page to
     * the WAL again. With {@code min_wal_size} the server keeps 4 GB of WAL files to reuse, which the benchmark makes
     * at its start ({@link WalFilesAhead}).
     */
    private static final String POSTGRES_SETTINGS = "shared_buffers=2GB max_wal_size=8GB min_wal_size=4GB";
    private static final String ADMIN = "bench-admin";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The service's JVM as docker/Dockerfile runs it, with its heap held to 256 MiB. */
    static final List<String> SERVICE_JVM = List.of("-Xmx256m", "-XX:+UseParallelGC");
    private static final String NEVER = "0 0 0 1 1 ? 2099";
    /**
     * Only what a figure measures runs: no scheduled poll, and no settle run or reconciliation. The fake API answers
     * every day's window with all its records, so an hourly reconciliation that fired in a run (it did, at minute 40)
     * found each day short and started seven backfills of all of them beside the figures being measured.
     */
    private static final Map<String, String> QUIET = Map.of("dce.trackdrive.poll-cron", NEVER,
            "dce.settle-cron", NEVER, "dce.reconcile-cron", NEVER);

    private final long records;
    private final int pageSize;
    private final int webhookSeconds;
    private final int warmupSeconds;
    private final int connections;
    private final int probes;
    private final Path work;
    private final String serviceJvmOptions;
    private final String postgresSettings;
    private final boolean skipWebhooks;
    private final long backfillRecords;
    private final long backlogRecords;

    private Benchmark(Map<String, String> options) {
        records = Long.parseLong(options.getOrDefault("records", "1000000"));
        pageSize = Integer.parseInt(options.getOrDefault("page", "1000"));
        webhookSeconds = Integer.parseInt(options.getOrDefault("webhook-seconds", "60"));
        warmupSeconds = Integer.parseInt(options.getOrDefault("warmup-seconds", "20"));
        connections = Integer.parseInt(options.getOrDefault("connections", "64"));
        probes = Integer.parseInt(options.getOrDefault("probes", "300"));
        work = Path.of("bench/work");
        serviceJvmOptions = options.getOrDefault("service-jvm", "");
        postgresSettings = options.getOrDefault("postgres-settings", POSTGRES_SETTINGS).trim();
        skipWebhooks = Boolean.parseBoolean(options.getOrDefault("bulk-only", "false"));
        backfillRecords = Long.parseLong(options.getOrDefault("backfill-records", "200000"));
        backlogRecords = Long.parseLong(options.getOrDefault("backlog-records", "100000"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        List<String> databases = switch (options.getOrDefault("db", "both")) {
            case "h2" -> List.of("h2");
            case "postgres" -> List.of("postgres");
            default -> List.of("h2", "postgres");
        };
        Benchmark benchmark = new Benchmark(options);
        // read by LocalPostgres when it starts the server
        System.setProperty("dce.test.pg.settings", benchmark.postgresSettings);
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        int exit = 0;
        try {
            for (String database : databases) {
                results.put(database, benchmark.run(database));
                // written after each database, so a failure later keeps what was measured
                Report.write(Path.of("bench/RESULTS.md"), Report.markdown(results, benchmark.records,
                        benchmark.connections, benchmark.webhookSeconds, benchmark.warmupSeconds));
            }
            System.out.println(Report.markdown(results, benchmark.records, benchmark.connections,
                    benchmark.webhookSeconds, benchmark.warmupSeconds));
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        }
        // the fake API's threads and the PostgreSQL shutdown hook are done with
        System.exit(exit);
    }

    private Map<String, String> run(String database) throws Exception {
        Map<String, String> figures = new LinkedHashMap<>();
        boolean postgres = database.equals("postgres");
        if (postgres) {
            long walFiles = WalFilesAhead.make(LocalPostgres.shared());
            log(database + ": " + walFiles + " WAL files made ahead (min_wal_size)");
            figures.put("serverSettings", (postgresSettings.isEmpty() ? "none" : "`" + postgresSettings + "`")
                    + "; " + walFiles + " WAL files made at start");
        }
        deleteRecursively(work.resolve(database));
        Files.createDirectories(work.resolve(database));
        String ceilingUrl = newDatabase(postgres, database, "ceiling", "WRITE_DELAY=0");
        String serviceUrl = newDatabase(postgres, database, "service", "AUTO_SERVER=TRUE");
        String user = user(postgres);

        log(database + ": raw JDBC ceiling, " + records + " rows");
        try (HikariDataSource ceiling = pool(ceilingUrl, user)) {
            Database.migrate(ceiling, ceilingUrl);
            double rate = RawUpsertCeiling.measure(ceiling, postgres, records, pageSize);
            figures.put("ceiling", format(rate));
            figures.put("ceilingRate", Double.toString(rate));
            if (postgres) {
                figures.put("ceilingBytes", Long.toString(count(ceiling,
                        "SELECT pg_total_relation_size('dce_calls')") / records));
            }
        }
        dropOnPostgres(postgres, ceilingUrl);
        if (!postgres) {
            figures.put("ceilingBytes", Long.toString(h2FileBytes(work.resolve(database + "/ceiling")) / records));
        }
        String baselineUrl = newDatabase(postgres, database, "baseline", "WRITE_DELAY=0");
        log(database + ": " + (postgres ? "COPY" : "plain batched INSERT") + " baseline, " + records + " rows");
        try (HikariDataSource baseline = pool(baselineUrl, user)) {
            Database.migrate(baseline, baselineUrl);
            double rate = BulkInsertBaseline.measure(baseline, records, pageSize);
            figures.put("physical", format(rate));
            figures.put("physicalRate", Double.toString(rate));
        }
        dropOnPostgres(postgres, baselineUrl);

        String storeUrl = newDatabase(postgres, database, "store", "WRITE_DELAY=0");
        log(database + ": the storing step alone, " + records + " rows");
        try (HikariDataSource store = pool(storeUrl, user)) {
            Database.migrate(store, storeUrl);
            double rate = StoringStep.measure(store, records, pageSize);
            figures.put("store", format(rate) + String.format(" (%.2fx)", rate / Double.parseDouble(
                    figures.get("ceilingRate"))));
        }
        dropOnPostgres(postgres, storeUrl);

        if (!skipWebhooks) {
            durableEndpoint(postgres, database, user, figures);
        }

        log(database + ": CPU per record outside the database");
        double[] perRecord = RecordWork.measure(records);
        double ceilingRate = Double.parseDouble(figures.get("ceilingRate"));
        double bound = 2 / (1 / perRecord[0] + 1 / perRecord[1] + 1 / ceilingRate);
        figures.put("generate", format(perRecord[0]));
        figures.put("map", format(perRecord[1]));
        figures.put("bound", format(bound) + String.format(" (%.2fx)", bound / ceilingRate));
        figures.put("boundRate", Double.toString(bound));

        try (FakeTrackDriveApi api = new FakeTrackDriveApi(records, pageSize)) {
            Map<String, String> settings = new HashMap<>(Map.of("dce.db.url", serviceUrl, "dce.db.user", user,
                    "dce.trackdrive.base-url", api.baseUrl(), "dce.trackdrive.public-key", "pub",
                    "dce.trackdrive.private-key", "priv", "dce.trackdrive.webhook-token", TOKEN,
                    "dce.admin.token", ADMIN, "dce.trackdrive.backfill-from", "2025-12-31T00:00:00Z",
                    "camel.main.routes-include-pattern", "file:routes/*.camel.yaml,file:bench/routes/*.camel.yaml"));
            settings.putAll(QUIET);
            // not while the bare endpoint is measured (nothing is committed then): its figure would pay for it
            settings.put("dce.db.h2.compact-after-idle-seconds", Integer.toString(idleSeconds()));
            GcLogHeap heap = new GcLogHeap(work.resolve(database + "-gc.log").toAbsolutePath());
            List<String> jvm = new ArrayList<>(SERVICE_JVM);
            jvm.add(heap.jvmOption());
            if (!serviceJvmOptions.isBlank()) {
                jvm.addAll(List.of(serviceJvmOptions.split(" ")));
            }
            try (ServiceProcess service = ServiceProcess.start("bench-" + database, settings, jvm.toArray(String[]::new));
                    HikariDataSource db = pool(serviceUrl, user)) {
                log(database + ": bulk load through the pipeline");
                double bulk = pollAll(service, db);
                figures.put("bulk", format(bulk));
                figures.put("ratio", String.format("%.2fx", bulk / Double.parseDouble(figures.get("ceilingRate"))));
                figures.put("boundRatio", String.format("%.2fx", bulk / Double.parseDouble(figures.get("boundRate"))));
                figures.put("rows", Long.toString(count(db, "SELECT COUNT(*) FROM dce_calls")));
                figures.put("bulkVsBaseline", String.format("%.2fx", bulk / Double.parseDouble(
                        figures.get("physicalRate"))));

                log(database + ": re-load of the same records");
                execute(db, "DELETE FROM dce_poll_state");
                OffsetDateTime reloadStart = OffsetDateTime.now(ZoneOffset.UTC);
                double reload = pollAll(service, db);
                figures.put("reload", format(reload));
                figures.put("reloadRatio", String.format("%.2fx", reload / Double.parseDouble(figures.get("ceilingRate"))));
                figures.put("reloadChanged", Long.toString(count(db,
                        "SELECT COUNT(*) FROM dce_calls WHERE last_updated_at >= ?", reloadStart)));

                if (skipWebhooks) {
                    heapFigures(heap, figures);
                    figures.put("alive", Boolean.toString(service.isAlive()));
                    stop(service, postgres, database, db, figures);
                    backfill(database, figures);
                    backlog(database, figures);
                    return figures;
                }
                String bare = service.uri("/bench/baseline").toString();
                String webhooks = service.uri("/webhooks/trackdrive?token=" + TOKEN).toString();
                log(database + ": bare endpoint baseline under wrk");
                WrkLoad.Result bareWarmUp = warmUp(bare, "warm-base");
                WrkLoad.Result baseline = WrkLoad.run(bare, connections, webhookSeconds, "base");
                figures.put("baseline", format(baseline.requestsPerSecond()));
                figures.put("baselineP99", String.format("%.1f", baseline.p99Millis()));

                log(database + ": webhook ingest under wrk");
                WrkLoad.Result warmUp = warmUp(webhooks, "warm");
                if (warmUp != null) {
                    waitForEmptyInbox(db);
                    figures.put("warmIngest", String.format("%s (%.2fx), p99 %.1f ms", format(warmUp
                            .requestsPerSecond()), warmUp.requestsPerSecond() / bareWarmUp.requestsPerSecond(),
                            warmUp.p99Millis()));
                    figures.put("warmRows", warmUp.accepted() + " / " + count(db,
                            "SELECT COUNT(*) FROM dce_calls WHERE external_call_id LIKE 'warm-%'"));
                }
                WrkLoad.Result ingest = WrkLoad.run(webhooks, connections, webhookSeconds, "wh");
                long drainStart = System.nanoTime();
                waitForEmptyInbox(db);
                figures.put("drain", String.format("%.1f", (System.nanoTime() - drainStart) / 1e9));
                figures.put("ingest", format(ingest.requestsPerSecond()));
                figures.put("ingestRatio", String.format("%.2fx",
                        ingest.requestsPerSecond() / baseline.requestsPerSecond()));
                figures.put("durableRatio", String.format("%.2fx",
                        ingest.requestsPerSecond() / Double.parseDouble(figures.get("durableRate"))));
                figures.put("p50", String.format("%.1f", ingest.p50Millis()));
                figures.put("p99", String.format("%.1f", ingest.p99Millis()));
                figures.put("acked", Long.toString(ingest.accepted()));
                figures.put("webhookRows", Long.toString(count(db,
                        "SELECT COUNT(*) FROM dce_calls WHERE external_call_id LIKE 'wh-%'")));

                log(database + ": freshness, " + probes + " webhooks one at a time");
                double[] fresh = freshness(service, db);
                figures.put("fresh50", String.format("%.0f", fresh[0]));
                figures.put("fresh95", String.format("%.0f", fresh[1]));
                heapFigures(heap, figures);
                figures.put("alive", Boolean.toString(service.isAlive()));
                stop(service, postgres, database, db, figures);
            }
        }
        backfill(database, figures);
        backlog(database, figures);
        return figures;
    }

    /** The webhooks' physical baseline ({@link DurableEndpoint}) under the same wrk load, in a database of its own. */
    private void durableEndpoint(boolean postgres, String database, String user, Map<String, String> figures)
            throws Exception {
        String url = newDatabase(postgres, database, "durable", "WRITE_DELAY=0");
        log(database + ": durable endpoint baseline under wrk");
        try (HikariDataSource durable = pool(url, user)) {
            Database.migrate(durable, url);
            try (DurableEndpoint endpoint = new DurableEndpoint(durable)) {
                warmUp(endpoint.url(), "warm-durable");
                WrkLoad.Result result = WrkLoad.run(endpoint.url(), connections, webhookSeconds, "durable");
                figures.put("durable", String.format("%s, p50 %.1f / p99 %.1f ms", format(result.requestsPerSecond()),
                        result.p50Millis(), result.p99Millis()));
                figures.put("durableRate", Double.toString(result.requestsPerSecond()));
                figures.put("durableRows", result.accepted() + " / " + count(durable,
                        "SELECT COUNT(*) FROM dce_inbox WHERE payload LIKE '%\"durable-%'"));
            }
        }
        dropOnPostgres(postgres, url);
    }

    /**
     * A wrk run of {@code warmupSeconds} against the endpoint before the measured one, or null when there is none. In
     * the first 20 s of webhooks after a million-record load the JIT compiler still took 23% of the machine's CPU (5%
     * in the next 20 s), and their p99 was 35-41 ms against 22-27 ms in the 60 s after them (bench/RESULTS.md): the
     * measured run is the service as it runs, not as it starts.
     */
    private WrkLoad.Result warmUp(String url, String prefix) throws Exception {
        return warmupSeconds > 0 ? WrkLoad.run(url, connections, warmupSeconds, prefix) : null;
    }

    /**
     * A backfill of {@code backfillRecords} into an empty database, asked for as a user does: {@code dce-etl backfill}
     * against the running service, its progress lines kept in bench/work/{database}-backfill.txt.
     */
    private void backfill(String database, Map<String, String> figures) throws Exception {
        boolean postgres = database.equals("postgres");
        String url = newDatabase(postgres, database, "backfill", "AUTO_SERVER=TRUE");
        log(database + ": backfill of " + backfillRecords + " records through dce-etl backfill");
        try (FakeTrackDriveApi api = new FakeTrackDriveApi(backfillRecords, pageSize);
                ServiceProcess service = ServiceProcess.start("bench-backfill-" + database, backfillSettings(url,
                        postgres, api), SERVICE_JVM.toArray(String[]::new))) {
            ProcessBuilder command = new ProcessBuilder(ApplicationCommand.of(List.of(), List.of("backfill",
                    "--provider", "trackdrive", "--from", "2025-12-31", "--to", "2026-12-31", "--url",
                    service.uri("").toString()))).redirectErrorStream(true);
            command.environment().put("DCE_ADMIN_TOKEN", ADMIN);
            Path output = work.resolve(database + "-backfill.txt");
            Process cli = command.redirectOutput(output.toFile()).start();
            if (cli.waitFor() != 0) {
                throw new IllegalStateException("backfill failed:\n" + Files.readString(output));
            }
            String summary = Files.readAllLines(output).stream().filter(line -> line.startsWith("Backfill "))
                    .reduce((first, last) -> last).orElseThrow();
            // "Backfill 1 done: 200 pages, 200000 records read, ..., 9876.5 records/s"
            double rate = Double.parseDouble(summary.replaceAll(".* ([0-9.]+) records/s$", "$1"));
            figures.put("backfill", format(rate));
            figures.put("backfillRatio", String.format("%.2fx", rate / Double.parseDouble(figures.get("ceilingRate"))));
            service.terminate(Duration.ofSeconds(60));
        }
    }

    /**
     * A backlog of {@code backlogRecords} stored webhooks in a new database, loaded by a service started on it: rows
     * per second from the service answering its health check until the inbox is empty.
     */
    private void backlog(String database, Map<String, String> figures) throws Exception {
        boolean postgres = database.equals("postgres");
        String url = newDatabase(postgres, database, "backlog", "AUTO_SERVER=TRUE");
        String user = user(postgres);
        log(database + ": a backlog of " + backlogRecords + " stored webhooks");
        // closed before the service starts: with H2, the service must open the file itself, not reach it through
        // this process's AUTO_SERVER
        try (HikariDataSource setup = pool(url, user)) {
            Database.migrate(setup, url);
            StoredWebhooks.store(setup, backlogRecords);
        }
        Map<String, String> settings = new HashMap<>(Map.of("dce.db.url", url, "dce.db.user", user,
                "dce.trackdrive.webhook-token", TOKEN));
        settings.putAll(QUIET);
        try (ServiceProcess service = ServiceProcess.start("bench-backlog-" + database, settings,
                SERVICE_JVM.toArray(String[]::new)); HikariDataSource db = pool(url, user)) {
            long start = System.nanoTime();
            waitForEmptyInbox(db);
            double rate = backlogRecords / ((System.nanoTime() - start) / 1e9);
            figures.put("backlog", format(rate));
            figures.put("backlogRatio", String.format("%.2fx", rate / Double.parseDouble(figures.get("ceilingRate"))));
            figures.put("backlogRows", Long.toString(count(db, "SELECT COUNT(*) FROM dce_calls")));
            service.terminate(Duration.ofSeconds(60));
        }
    }

    private static Map<String, String> backfillSettings(String url, boolean postgres, FakeTrackDriveApi api) {
        Map<String, String> settings = new HashMap<>(Map.of("dce.db.url", url,
                "dce.db.user", user(postgres), "dce.trackdrive.base-url", api.baseUrl(),
                "dce.trackdrive.public-key", "pub", "dce.trackdrive.private-key", "priv", "dce.admin.token", ADMIN));
        settings.putAll(QUIET);
        return settings;
    }

    /** Longer than the bare endpoint's warm-up and measured run, the longest time the service commits nothing. */
    private int idleSeconds() {
        return warmupSeconds + webhookSeconds + 30;
    }

    /**
     * The service's storage once its file is compacted while idle (H2), and after it has stopped as an operator
     * stops it; how long the stop took.
     */
    private void stop(ServiceProcess service, boolean postgres, String database, HikariDataSource db,
            Map<String, String> figures) throws Exception {
        long calls = count(db, "SELECT COUNT(*) FROM dce_calls");
        if (!postgres) {
            String done = "H2 file compacted while idle: ";
            int before = logLines(service, done).size();
            log(database + ": waiting " + idleSeconds() + " s without a commit for the compaction while idle");
            long waitStart = System.nanoTime();
            waitUntil(() -> logLines(service, done).size() > before, Duration.ofMinutes(20));
            List<String> compactions = logLines(service, done);
            String line = compactions.get(compactions.size() - 1);
            figures.put("idleCompaction", line.substring(line.indexOf(done) + done.length()) + String.format(
                    ", %.0f s after the last commit", (System.nanoTime() - waitStart) / 1e9));
            long bytes = h2FileBytes(work.resolve(database + "/service")) / Math.max(1, calls);
            figures.put("idleStoredRatio", String.format("%d (%.2fx)", bytes, (double) bytes
                    / Long.parseLong(figures.get("ceilingBytes"))));
        }
        long stopStart = System.nanoTime();
        service.terminate(Duration.ofSeconds(60));
        figures.put("stop", String.format("%.1f", (System.nanoTime() - stopStart) / 1e9));
        storedBytes(postgres, database, db, calls, figures);
    }

    /** The lines of the service's log that contain {@code text}. */
    private static List<String> logLines(ServiceProcess service, String text) throws Exception {
        return service.log().lines().filter(line -> line.contains(text)).toList();
    }

    /**
     * The service's storage per call after the run, the service stopped as an operator stops it: dce_calls with its
     * indexes (PostgreSQL), the whole database file (H2, which gives back free space when it closes).
     */
    private void storedBytes(boolean postgres, String database, HikariDataSource db, long storedCalls,
            Map<String, String> figures) throws Exception {
        long calls = Math.max(1, storedCalls);
        long bytes = postgres ? count(db, "SELECT pg_total_relation_size('dce_calls')")
                : h2FileBytes(work.resolve(database + "/service"));
        figures.put("storedBytes", Long.toString(bytes / calls));
        figures.put("storedRatio", String.format("%.2fx", (double) (bytes / calls)
                / Long.parseLong(figures.get("ceilingBytes"))));
    }

    private static long h2FileBytes(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".mv.db")).mapToLong(file -> file.toFile().length())
                    .sum();
        }
    }

    /** Starts the poll through the admin API and waits for it to finish; rows per second. */
    private double pollAll(ServiceProcess service, HikariDataSource db) throws Exception {
        Instant start = Instant.now();
        HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(service.uri("/admin/polls/trackdrive/calls/run"))
                .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            throw new IllegalStateException("poll did not start: " + started.body());
        }
        waitUntil(() -> {
            try (Connection connection = db.getConnection();
                    PreparedStatement query = connection.prepareStatement(
                            "SELECT last_success_at, last_error FROM dce_poll_state")) {
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return false;
                    }
                    OffsetDateTime success = row.getObject(1, OffsetDateTime.class);
                    if (row.getString(2) != null) {
                        throw new IllegalStateException("poll failed: " + row.getString(2));
                    }
                    return success != null && success.toInstant().isAfter(start);
                }
            }
        }, Duration.ofMinutes(60));
        return records / (Duration.between(start, Instant.now()).toMillis() / 1000.0);
    }

    /** Webhooks sent one at a time; for each, the time from its 202 until its row can be read. */
    private double[] freshness(ServiceProcess service, HikariDataSource db) throws Exception {
        List<Double> latencies = new ArrayList<>();
        try (Connection connection = db.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT 1 FROM dce_calls WHERE provider = 'trackdrive' AND external_call_id = ?")) {
            for (int i = 0; i < probes; i++) {
                String id = "fresh-" + i;
                HttpResponse<String> ack = HTTP.send(HttpRequest.newBuilder(
                        service.uri("/webhooks/trackdrive?token=" + TOKEN)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"" + id + "\", \"status\": \"finished\","
                                + " \"caller_number\": \"+13035550100\", \"total_duration\": 30}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                long acked = System.nanoTime();
                if (ack.statusCode() != 202) {
                    throw new IllegalStateException("probe not accepted: " + ack.body());
                }
                query.setString(1, id);
                while (true) {
                    try (ResultSet row = query.executeQuery()) {
                        if (row.next()) {
                            break;
                        }
                    }
                    if (System.nanoTime() - acked > 30_000_000_000L) {
                        throw new IllegalStateException("probe " + id + " never became a row");
                    }
                    Thread.sleep(1);
                }
                latencies.add((System.nanoTime() - acked) / 1e6);
            }
        }
        latencies.sort(Comparator.naturalOrder());
        return new double[] {latencies.get(latencies.size() / 2), latencies.get((int) (latencies.size() * 0.95))};
    }

    /** Waits until every stored webhook is loaded (the inbox keeps an entry until its call is stored). */
    private static void waitForEmptyInbox(HikariDataSource db) throws Exception {
        waitUntil(() -> count(db, "SELECT COUNT(*) FROM dce_inbox") == 0, Duration.ofMinutes(10));
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private static long count(HikariDataSource db, String sql, Object... parameters) throws Exception {
        try (Connection connection = db.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static void execute(HikariDataSource db, String sql) throws Exception {
        try (Connection connection = db.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }

    /**
     * A new database for one part of a run: on PostgreSQL a database of its own, on H2 the file
     * bench/work/{database}/{part}/dce opened with {@code h2Option}.
     */
    private String newDatabase(boolean postgres, String database, String part, String h2Option) throws Exception {
        return postgres ? LocalPostgres.shared().newDatabase()
                : "jdbc:h2:file:" + work.resolve(database + "/" + part + "/dce").toAbsolutePath() + ";" + h2Option;
    }

    private static String user(boolean postgres) {
        return postgres ? "postgres" : "sa";
    }

    private static HikariDataSource pool(String url, String user) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword("");
        config.setMaximumPoolSize(2);
        if (url.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return new HikariDataSource(config);
    }

    private static void heapFigures(GcLogHeap heap, Map<String, String> figures) throws IOException {
        GcLogHeap.Peaks peaks = heap.peaks();
        figures.put("heap", String.format("%.0f", peaks.usedMiB()));
        figures.put("heapLive", peaks.liveMiB() == null ? "no full collection"
                : String.format("%.0f", peaks.liveMiB()));
    }

        private static String format(double rate) {
        return String.format("%,.0f", rate);
    }

    /**
     * A baseline's database, once measured. Its million rows would otherwise be vacuumed by autovacuum during the
     * figures after it: PostgreSQL's log showed the ceiling's and COPY's tables vacuumed during the bulk load through
     * the pipeline, each rewriting every one of its pages (about 1 GB) beside it.
     */
    private static void dropOnPostgres(boolean postgres, String url) {
        if (postgres) {
            LocalPostgres.shared().dropDatabase(url);
        }
    }

    private static void log(String message) {
        System.out.println("[bench " + Instant.now() + "] " + message);
    }

    private static void deleteRecursively(Path path) throws Exception {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
