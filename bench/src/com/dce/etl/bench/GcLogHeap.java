package com.dce.etl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's heap as its own GC log tells it ({@code -Xlog:gc}): how full the heap was when each collection began
 * (its high-water marks), and what a full collection left (the live data; a young one leaves the old generation's
 * garbage too). It used to be sampled with {@code jcmd <pid> GC.heap_info} every 0.5 s, which
 * started a JVM each time: 0.32 CPU-seconds a call, about a fifth of the 2 cores taken from the service during every
 * figure measured on it (bulk load, re-load, webhooks), and not from the ceiling and COPY baselines measured before it
 * starts. The log costs the service nothing measurable and misses no peak between samples.
 */
final class GcLogHeap {
    /** {@code GC(12) Pause Young (Allocation Failure) 140M->60M(245M) 12.345ms}, in K, M or G. */
    private static final Pattern COLLECTION = Pattern.compile(
            "Pause (\\w+) .*? (\\d+)([KMG])->(\\d+)([KMG])\\(\\d+[KMG]\\)");

    private final Path log;

    GcLogHeap(Path log) throws IOException {
        this.log = log;
        Files.deleteIfExists(log);
    }

    /** The option that makes the service write the log. */
    String jvmOption() {
        return "-Xlog:gc:file=" + log;
    }

    /**
     * The heap's highest use, at the start of a collection, and the most a full collection left, in MiB (null when
     * there was no full collection).
     */
    record Peaks(double usedMiB, Double liveMiB) {
    }

    Peaks peaks() throws IOException {
        double used = 0;
        Double live = null;
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        for (String line : lines) {
            Matcher collection = COLLECTION.matcher(line);
            if (collection.find()) {
                used = Math.max(used, mib(collection.group(2), collection.group(3)));
                if (collection.group(1).equals("Full")) {
                    double left = mib(collection.group(4), collection.group(5));
                    live = live == null ? left : Math.max(live, left);
                }
            }
        }
        return new Peaks(used, live);
    }

    private static double mib(String amount, String unit) {
        double value = Double.parseDouble(amount);
        return switch (unit) {
            case "K" -> value / 1024;
            case "G" -> value * 1024;
            default -> value;
        };
    }
}
