package com.dce.etl.status;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import com.dce.etl.backfill.Backfill;
import com.dce.etl.channel.Channel;
import com.dce.etl.poll.PollState;
import com.dce.etl.reconcile.DayCheck;

/**
 * {@code GET /status} as HTML for people: one card per provider (webhooks and calls stored this hour and over the
 * last day with an hourly chart, the newest call, its channels on or off, each poll stream's last outcome and
 * watermark, dead letters by reason, inbox backlog), the backfills with progress bars, and the reconciliation by day.
 * Everything is inline (no script, font or stylesheet from elsewhere: the machines may have no internet), and the
 * page reloads itself every {@code dce.status.refresh-seconds}.
 */
public final class StatusPage {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");
    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
            header{background:#1d2330;color:#fff;padding:12px 24px}header h1{margin:0;font-size:20px}
            header p{margin:2px 0 0;color:#b8c0cf;font-size:12px}main{padding:16px 24px}
            h2{margin:0 0 8px;font-size:17px}h3{margin:12px 0 4px;font-size:13px;color:#4a5366}
            .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:16px}
            .card,section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:14px 16px}
            section{margin-top:16px}.figures{display:grid;grid-template-columns:repeat(3,1fr);gap:8px}
            .figure b{display:block;font-size:20px}.figure span{color:#4a5366;font-size:12px}
            table{border-collapse:collapse;width:100%;font-size:12px}td,th{text-align:left;padding:3px 6px;
            border-bottom:1px solid #e6e8ed}.on{color:#137333}.off{color:#8a5a00}.bad{color:#b3261e}
            .status-match{color:#137333}.status-missing,.status-failed{color:#b3261e}
            .status-healing,.status-running,.status-queued{color:#0b57d0}.status-extra{color:#8a5a00}
            .bar{background:#e6e8ed;border-radius:4px;height:10px;width:160px;display:inline-block;
            vertical-align:middle}.bar i{display:block;height:10px;border-radius:4px;background:#0b57d0}
            svg{display:block}svg polyline{fill:none;stroke-width:1.5}.empty{color:#8a91a0}
            """;

    private StatusPage() {
    }

    public static String render(StatusSnapshot snapshot) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(snapshot.refreshSeconds()).append("\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                // no icon to fetch: a request for /favicon.ico would be a 404 in the console on every refresh
                .append("<link rel=\"icon\" href=\"data:,\">")
                .append("<title>dce-etl status</title><style>").append(STYLE).append("</style></head><body>")
                .append("<header><h1>dce-etl status</h1><p id=\"generated\">").append(TIME.format(snapshot.at()))
                .append(" &middot; refreshes every ").append(snapshot.refreshSeconds()).append(" s</p></header><main>")
                .append("<div class=\"cards\">");
        for (String provider : snapshot.providers()) {
            card(html, snapshot, provider);
        }
        html.append("</div>");
        backfills(html, snapshot);
        reconciliation(html, snapshot);
        return html.append("</main></body></html>").toString();
    }

    private static void card(StringBuilder html, StatusSnapshot snapshot, String provider) {
        long[][] series = snapshot.activity().getOrDefault(provider, new long[2][snapshot.hours()]);
        html.append("<article class=\"card\" data-provider=\"").append(escape(provider)).append("\"><h2>")
                .append(escape(provider)).append("</h2><div class=\"figures\">");
        figure(html, "webhooks-hour", series[0][series[0].length - 1], "webhooks this hour");
        figure(html, "webhooks-day", Arrays.stream(series[0]).sum(), "webhooks, " + snapshot.hours() + " h");
        OffsetDateTime newest = snapshot.newestCalls().get(provider);
        html.append("<div class=\"figure\" data-figure=\"newest-call\"><b>")
                .append(newest == null ? "none" : age(Duration.between(newest, snapshot.at())))
                .append("</b><span>newest call").append(newest == null ? "" : " (" + TIME.format(newest) + ")")
                .append("</span></div>");
        figure(html, "rows-hour", series[1][series[1].length - 1], "calls loaded this hour");
        figure(html, "rows-day", Arrays.stream(series[1]).sum(), "calls loaded, " + snapshot.hours() + " h");
        figure(html, "inbox", snapshot.inboxBacklog().getOrDefault(provider, 0L), "webhooks waiting to load");
        html.append("</div><h3>per hour, last ").append(snapshot.hours()).append(" h: webhooks (blue), calls loaded"
                + " (green)</h3>");
        chart(html, series);
        channels(html, snapshot, provider);
        polls(html, snapshot, provider);
        writebacks(html, snapshot.callUpdates().get(provider));
        deadLetters(html, snapshot.deadLetters().getOrDefault(provider, Map.of()));
        html.append("</article>");
    }

    private static void figure(StringBuilder html, String name, long value, String label) {
        html.append("<div class=\"figure\" data-figure=\"").append(name).append("\"><b>")
                .append(String.format(Locale.ROOT, "%,d", value)).append("</b><span>").append(label)
                .append("</span></div>");
    }

    /** Two polylines over the hours, scaled to the larger series. */
    private static void chart(StringBuilder html, long[][] series) {
        int width = 340;
        int height = 48;
        long max = Math.max(1, Math.max(Arrays.stream(series[0]).max().orElse(0),
                Arrays.stream(series[1]).max().orElse(0)));
        html.append("<svg class=\"chart\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"hourly activity\">");
        String[] colours = {"#0b57d0", "#137333"};
        for (int s = 0; s < 2; s++) {
            html.append("<polyline stroke=\"").append(colours[s]).append("\" points=\"");
            long[] values = series[s];
            for (int i = 0; i < values.length; i++) {
                double x = values.length == 1 ? 0 : i * (width - 2.0) / (values.length - 1) + 1;
                double y = height - 2 - values[i] * (height - 4.0) / max;
                html.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            html.append("\"/>");
        }
        html.append("</svg>");
    }

    private static void channels(StringBuilder html, StatusSnapshot snapshot, String provider) {
        html.append("<h3>channels</h3><table class=\"channels\">");
        for (Channel channel : snapshot.channels()) {
            if (channel.provider().equals(provider)) {
                html.append("<tr data-channel=\"").append(escape(channel.id())).append("\"><td>")
                        .append(escape(channel.name() + " " + channel.kind())).append("</td><td class=\"")
                        .append(channel.isOn() ? "on\">on" : "off\">off: set "
                                + escape(String.join(" and ", channel.missingSettings())))
                        .append("</td></tr>");
            }
        }
        html.append("</table>");
    }

    private static void polls(StringBuilder html, StatusSnapshot snapshot, String provider) {
        List<PollState> polls = snapshot.polls().stream().filter(poll -> poll.provider().equals(provider)).toList();
        if (polls.isEmpty()) {
            return;
        }
        html.append("<h3>polls</h3><table class=\"polls\"><tr><th>stream</th><th>last outcome</th><th>watermark</th>"
                + "<th>rows</th></tr>");
        for (PollState poll : polls) {
            html.append("<tr data-stream=\"").append(escape(poll.stream())).append("\"><td>")
                    .append(escape(poll.stream())).append("</td><td class=\"")
                    .append(poll.lastError() == null ? "on\">" : "bad\">failed: " + escape(poll.lastError()) + "; ")
                    .append(poll.lastSuccessAt() == null ? "no success yet"
                            : "last success " + age(Duration.between(poll.lastSuccessAt(), snapshot.at())) + " ago")
                    .append("</td><td>").append(poll.watermark() == null ? "" : TIME.format(poll.watermark()))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%,d", poll.rowsLoaded()))
                    .append("</td></tr>");
        }
        html.append("</table>");
    }

    private static void writebacks(StringBuilder html, Map<String, Long> byStatus) {
        if (byStatus == null) {
            return;
        }
        html.append("<h3>write-backs</h3><div class=\"figures\">");
        figure(html, "writeback-pending", byStatus.getOrDefault("pending", 0L) + byStatus.getOrDefault("sending", 0L),
                "pending");
        figure(html, "writeback-sent", byStatus.getOrDefault("sent", 0L), "sent");
        figure(html, "writeback-dead", byStatus.getOrDefault("dead", 0L), "dead letters");
        html.append("</div>");
    }

    private static void deadLetters(StringBuilder html, Map<String, Long> byReason) {
        html.append("<h3>dead letters waiting</h3>");
        if (byReason.isEmpty()) {
            html.append("<p class=\"empty\" data-figure=\"dead-letters\">none</p>");
            return;
        }
        html.append("<table class=\"dead-letters\">");
        new TreeSet<>(byReason.keySet()).forEach(reason -> html.append("<tr data-reason=\"").append(escape(reason))
                .append("\"><td>").append(escape(reason)).append("</td><td class=\"bad\">")
                .append(String.format(Locale.ROOT, "%,d", byReason.get(reason))).append("</td></tr>"));
        html.append("</table>");
    }

    private static void backfills(StringBuilder html, StatusSnapshot snapshot) {
        html.append("<section id=\"backfills\"><h2>backfills</h2>");
        if (snapshot.backfills().isEmpty()) {
            html.append("<p class=\"empty\">none yet</p></section>");
            return;
        }
        html.append("<table><tr><th>id</th><th>provider stream</th><th>purpose</th><th>window</th><th>status</th>"
                + "<th>progress</th><th>pages</th><th>records</th><th>rows</th><th>records/s</th></tr>");
        for (Backfill backfill : snapshot.backfills()) {
            Double progress = backfill.progress();
            Double rate = backfill.recordsPerSecond(snapshot.at());
            html.append("<tr data-backfill=\"").append(backfill.id()).append("\"><td>").append(backfill.id())
                    .append("</td><td>").append(escape(backfill.provider() + " " + backfill.stream()))
                    .append("</td><td>").append(escape(backfill.purpose())).append("</td><td>")
                    .append(TIME.format(backfill.from())).append(" .. ").append(TIME.format(backfill.to()))
                    .append("</td><td class=\"status-").append(escape(backfill.status())).append("\">")
                    .append(escape(backfill.status()))
                    .append(backfill.error() == null ? "" : ": " + escape(backfill.error())).append("</td><td>");
            if (progress == null) {
                html.append("no total from the provider");
            } else {
                html.append("<span class=\"bar\" title=\"").append(Math.round(progress * 100)).append("%\"><i style=\"")
                        .append(String.format(Locale.ROOT, "width:%.1f%%", progress * 100)).append("\"></i></span> ")
                        .append(Math.round(progress * 100)).append('%');
            }
            html.append("</td><td>").append(backfill.pages()).append("</td><td>").append(backfill.recordsRead())
                    .append("</td><td>").append(backfill.rowsWritten()).append("</td><td>")
                    .append(rate == null ? "" : String.format(Locale.ROOT, "%.1f", rate)).append("</td></tr>");
        }
        html.append("</table></section>");
    }

    private static void reconciliation(StringBuilder html, StatusSnapshot snapshot) {
        html.append("<section id=\"reconciliation\"><h2>reconciliation: the provider's count per day against the"
                + " calls stored</h2>");
        if (snapshot.days().isEmpty()) {
            html.append("<p class=\"empty\">no day checked yet</p></section>");
            return;
        }
        html.append("<table><tr><th>day</th><th>provider stream</th><th>status</th><th>provider count</th>"
                + "<th>stored</th><th>dead letters</th><th>missing</th></tr>");
        for (DayCheck day : snapshot.days()) {
            html.append("<tr data-day=\"").append(day.day()).append("\" data-provider=\"")
                    .append(escape(day.provider()))
                    .append("\"><td>").append(day.day()).append("</td><td>")
                    .append(escape(day.provider() + " " + day.stream())).append("</td><td class=\"status-")
                    .append(escape(day.status())).append("\">").append(escape(day.status())).append("</td><td>")
                    .append(day.providerCount() == null ? "no count" : day.providerCount()).append("</td><td>")
                    .append(day.storedCount()).append("</td><td>").append(day.deadLetterCount()).append("</td><td>")
                    .append(day.missingCalls()).append("</td></tr>");
        }
        html.append("</table></section>");
    }

    /** "42 s", "7 min", "3 h", "2 d". */
    static String age(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7_200) {
            return seconds / 60 + " min";
        }
        return seconds < 172_800 ? seconds / 3600 + " h" : seconds / 86_400 + " d";
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
