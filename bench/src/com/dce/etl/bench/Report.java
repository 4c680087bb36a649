package com.dce.etl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The results table, with the machine it was measured on; bench/RESULTS.md keeps its hand-written history. */
final class Report {
    private static final String HISTORY = "<!-- history: kept across runs -->";

    private Report() {
    }

    static String markdown(Map<String, Map<String, String>> results, long records, int connections, int seconds,
            int warmupSeconds) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("# Benchmark results\n\n");
        text.append("Measured ").append(LocalDate.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ").append(memory()).append(" memory, Java ").append(System.getProperty("java.version"))
                .append(". ").append(String.format("%,d", records)).append(" generated TrackDrive records; webhooks: ")
                .append(connections).append(" connections for ").append(seconds)
                .append(" s from wrk (2 threads, same machine)")
                .append(warmupSeconds > 0 ? ", each after " + warmupSeconds + " s of warm-up against the same endpoint"
                        : "")
                .append(". Service JVM: ")
                .append(String.join(" ", Benchmark.SERVICE_JVM)).append(".\n\n");
        List<String> databases = List.copyOf(results.keySet());
        text.append("| figure | ").append(String.join(" | ", databases.stream().map(Report::title).toList()))
                .append(" | target |\n|---|").append("---|".repeat(databases.size())).append("---|\n");
        row(text, results, "bulk load through the pipeline, rows/s", "bulk", "");
        row(text, results, "raw JDBC batched upsert (ceiling), rows/s", "ceiling", "");
        row(text, results, "bulk load / ceiling", "ratio", "PostgreSQL >= 1.0x, H2 >= 0.7x");
        row(text, results, "physical baseline (PostgreSQL COPY, H2 plain batched INSERT), rows/s", "physical", "");
        row(text, results, "bulk load / physical baseline", "bulkVsBaseline", "PostgreSQL >= 0.5x");
        row(text, results, "the storing step alone (`CallWriter`, pages mapped ahead), rows/s (x ceiling)", "store",
                "");
        row(text, results, "one thread: the fake API writing records' JSON, records/s", "generate", "");
        row(text, results, "one thread: parsing, mapping and digesting records, records/s", "map", "");
        row(text, results, "bound on 2 cores: 2 / (generate + map + ceiling's time per row), rows/s (x ceiling)",
                "bound", "");
        row(text, results, "bulk load / that bound", "boundRatio", "");
        row(text, results, "rows in dce_calls after the load", "rows", String.format("%,d", records));
        row(text, results, "re-load of the same records, rows/s", "reload", "");
        row(text, results, "re-load / ceiling", "reloadRatio", ">= 1.5x");
        row(text, results, "rows changed by the re-load", "reloadChanged", "0");
        row(text, results, "backfill through `dce-etl backfill` into an empty table, rows/s", "backfill", "");
        row(text, results, "backfill / ceiling", "backfillRatio", "");
        row(text, results, "a backlog of stored webhooks loaded by a service started on it, rows/s", "backlog", "");
        row(text, results, "backlog / ceiling", "backlogRatio", "");
        row(text, results, "rows in dce_calls after the backlog", "backlogRows", "as many as stored");
        row(text, results, "bare platform-http endpoint (baseline), req/s", "baseline", "");
        row(text, results, "the bare endpoint's latency p99, ms", "baselineP99", "");
        row(text, results, "durable endpoint without the service (Vert.x, one group-commit writer into dce_inbox;"
                + " bench/src DurableEndpoint), req/s, latency", "durable", "");
        row(text, results, "its 202 answers / its rows", "durableRows", "rows >= 202s");
        row(text, results, "webhook ingest, req/s", "ingest", ">= 2,000");
        row(text, results, "webhook ingest / baseline", "ingestRatio", ">= 0.3x");
        row(text, results, "webhook ingest / durable endpoint", "durableRatio", "");
        row(text, results, "ack latency p50, ms", "p50", "");
        row(text, results, "ack latency p99, ms", "p99", "<= 25");
        row(text, results, "202 answers", "acked", "");
        // wrk stops with up to one request per connection stored but its answer not read: rows may exceed answers
        row(text, results, "rows from the wrk run in dce_calls", "webhookRows", ">= 202 answers");
        row(text, results, "inbox drained after the load, s", "drain", "");
        row(text, results, "the warm-up's webhooks (JIT compiling), req/s (x the bare endpoint's warm-up), p99",
                "warmIngest", "");
        row(text, results, "the warm-up's 202 answers / its rows in dce_calls", "warmRows", "rows >= 202s");
        row(text, results, "freshness (202 to row) p50, ms", "fresh50", "");
        row(text, results, "freshness (202 to row) p95, ms", "fresh95", "< 1,000");
        row(text, results, "H2: compaction while idle (the service's log), after the run", "idleCompaction", "");
        row(text, results, "H2: storage per call once compacted while idle, service running, bytes (x the ceiling's)",
                "idleStoredRatio", "");
        row(text, results, "the service's stop (SIGTERM to exit), s", "stop", "");
        row(text, results, "storage per call after the run, bytes (PG: dce_calls + indexes; H2: the file)",
                "storedBytes", "");
        row(text, results, "the ceiling's storage per call, bytes", "ceilingBytes", "");
        row(text, results, "storage / the ceiling's", "storedRatio", "H2 <= 1.5x");
        row(text, results, "service peak heap used (as a collection began; the GC log), MiB", "heap", "< 256");
        row(text, results, "service heap live after a full collection, at most, MiB", "heapLive", "");
        row(text, results, "service alive at the end", "alive", "true");
        row(text, results, "PostgreSQL server settings beyond its defaults (`--postgres-settings`)", "serverSettings",
                "");
        text.append("\nRun it again with `bench/run.sh` (see bench/README.md).\n");
        return text.toString();
    }

    private static void row(StringBuilder text, Map<String, Map<String, String>> results, String label, String key,
            String target) {
        text.append("| ").append(label).append(" | ");
        results.values().forEach(figures -> text.append(figures.getOrDefault(key, "-")).append(" | "));
        text.append(target).append(" |\n");
    }

    private static String title(String database) {
        return database.equals("h2") ? "H2 (embedded)" : "PostgreSQL 15";
    }

    private static String memory() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                long kb = Long.parseLong(line.replaceAll("\\D", ""));
                return String.format("%.0f GiB", kb / 1024.0 / 1024.0);
            }
        }
        return "unknown";
    }

    /** Writes the new table and keeps everything from the history marker of the previous file on. */
    static void write(Path file, String report) throws IOException {
        String history = "\n" + HISTORY + "\n## History\n";
        if (Files.exists(file)) {
            String previous = Files.readString(file);
            int at = previous.indexOf(HISTORY);
            if (at >= 0) {
                history = "\n" + previous.substring(at);
            }
        }
        Files.writeString(file, report + history);
    }
}
