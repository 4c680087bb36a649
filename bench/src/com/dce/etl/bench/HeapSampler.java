package com.dce.etl.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples the used heap of a JVM with {@code jcmd <pid> GC.heap_info} and keeps the peak: G1 reports the whole heap
 * on one line, the parallel collector its young and old generations on two, which are added up.
 */
final class HeapSampler implements AutoCloseable {
    private static final Pattern USED = Pattern.compile(
            "(garbage-first heap|PSYoungGen|ParOldGen|def new generation|tenured generation) +total \\d+K, used (\\d+)K");

    private final long pid;
    private final AtomicLong peakKb = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    HeapSampler(long pid) {
        this.pid = pid;
        this.thread = new Thread(this::loop, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        while (running) {
            try {
                Process process = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true)
                        .start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                process.waitFor(5, TimeUnit.SECONDS);
                Matcher used = USED.matcher(output);
                long kb = 0;
                while (used.find()) {
                    kb += Long.parseLong(used.group(2));
                }
                peakKb.accumulateAndGet(kb, Math::max);
                Thread.sleep(500);
            } catch (Exception e) {
                return;
            }
        }
    }

    double peakMiB() {
        return peakKb.get() / 1024.0;
    }

    @Override
    public void close() {
        running = false;
    }
}
