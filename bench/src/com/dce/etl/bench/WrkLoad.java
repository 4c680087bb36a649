package com.dce.etl.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (a separate process, Debian's package) for a fixed time at a fixed connection count and reads its report. */
final class WrkLoad {
    record Result(double requestsPerSecond, long requests, long non2xx, double p50Millis, double p99Millis,
            String raw) {
        long accepted() {
            return requests - non2xx;
        }
    }

    private WrkLoad() {
    }

    static Result run(String url, int connections, int seconds, String prefix) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency",
                "--timeout", "10s", "-s", "bench/webhook.lua", url).redirectErrorStream(true);
        builder.environment().put("WRK_PREFIX", prefix);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("wrk failed: " + out);
        }
        return new Result(number(out, "Requests/sec:\\s+([\\d.]+)"), (long) number(out, "(\\d+) requests in"),
                out.contains("Non-2xx") ? (long) number(out, "Non-2xx or 3xx responses: (\\d+)") : 0,
                latency(out, "50%"), latency(out, "99%"), out);
    }

    private static double number(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + regex + " in wrk output:\n" + text);
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static double latency(String text, String percentile) {
        Matcher matcher = Pattern.compile(percentile + "\\s+([\\d.]+)(us|ms|s)").matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + percentile + " latency in wrk output:\n" + text);
        }
        double value = Double.parseDouble(matcher.group(1));
        return switch (matcher.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
