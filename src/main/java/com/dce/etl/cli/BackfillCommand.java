package com.dce.etl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backfill --provider P [--stream S] --from T --to T [--url U]}: queues a backfill on a running service and
 * draws its progress until it ends. The bar's fraction and ETA come from the provider's total where it tells one;
 * without one (Retreaver) the bar counts records with no end.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Asks a running service to re-read a past window of one provider stream, and shows its progress until it ends.",
        "The admin token is read from DCE_ADMIN_TOKEN. Exit 0: done; 1: failed or cancelled; 2: refused request."})
public final class BackfillCommand implements Callable<Integer> {
    static final int DONE = 0;
    static final int FAILED = 1;
    static final int REFUSED = 2;
    /** Without a terminal to measure, lines are drawn this wide (the bar takes what the text leaves). */
    private static final int LINE_WIDTH = 150;

    @Spec
    private CommandSpec spec;

    @Option(names = "--provider", required = true, description = "trackdrive, retreaver, callrail, ...")
    private String provider;

    @Option(names = "--stream", description = "the stream to read; default: the provider's one stream that can be"
            + " read by window")
    private String stream;

    @Option(names = "--from", required = true, description = "start, ISO 8601 (2026-10-01T00:00:00Z) or a date (UTC)")
    private String from;

    @Option(names = "--to", required = true, description = "end, as --from")
    private String to;

    @Option(names = "--url", defaultValue = "http://localhost:8080", description = "the running service (default:"
            + " ${DEFAULT-VALUE})")
    private URI url;

    @Option(names = "--poll-ms", defaultValue = "1000", hidden = true)
    private long pollMillis;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String token = System.getenv("DCE_ADMIN_TOKEN");
        if (token == null || token.isBlank()) {
            err.println("dce-etl backfill: DCE_ADMIN_TOKEN is not set (the service's dce.admin.token)");
            return REFUSED;
        }
        AdminApiClient admin = new AdminApiClient(url, token);
        try {
            ObjectNode request = AdminApiClient.json().createObjectNode().put("provider", provider)
                    .put("from", from).put("to", to);
            if (stream != null) {
                request.put("stream", stream);
            }
            AdminApiClient.Answer queued = admin.post("/admin/backfills", request);
            if (queued.status() != 202) {
                err.println("dce-etl backfill: refused by " + url + ": " + queued.error());
                return REFUSED;
            }
            long id = queued.body().path("id").asLong();
            JsonNode backfill = admin.get("/admin/backfills/" + id).body();
            out.println("Backfill " + id + " of " + backfill.path("provider").asText() + " "
                    + backfill.path("stream").asText() + " " + backfill.path("from").asText() + " .. "
                    + backfill.path("to").asText() + " queued at " + url);
            out.flush();
            backfill = follow(admin, id, out);
            return report(backfill, out, err);
        } catch (IOException e) {
            err.println("dce-etl backfill: " + e.getMessage());
            return FAILED;
        }
    }

    /** Draws the bar until the backfill has ended; its last state. */
    private JsonNode follow(AdminApiClient admin, long id, PrintWriter out) throws IOException, InterruptedException {
        boolean terminal = System.console() != null;
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("backfill " + id).setInitialMax(-1)
                .setUnit(" records", 1).showSpeed().setStyle(terminal ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK
                        : ProgressBarStyle.ASCII)
                // a pipe or a log gets a line every few seconds instead of a bar redrawn in place
                .setUpdateIntervalMillis(terminal ? 500 : 2000)
                .setConsumer(terminal ? new ConsoleProgressBarConsumer(System.out)
                        : new DelegatingProgressBarConsumer(line -> {
                            out.println(line.stripTrailing());
                            out.flush();
                        }, LINE_WIDTH));
        try (ProgressBar bar = builder.build()) {
            while (true) {
                AdminApiClient.Answer answer = admin.get("/admin/backfills/" + id);
                if (answer.status() != 200) {
                    throw new IOException("backfill " + id + " cannot be read: " + answer.error());
                }
                JsonNode backfill = answer.body();
                if (backfill.path("total").canConvertToLong() && bar.getMax() != backfill.path("total").asLong()) {
                    bar.maxHint(backfill.path("total").asLong());
                }
                bar.stepTo(backfill.path("records").asLong());
                bar.setExtraMessage(" " + backfill.path("status").asText() + ", " + backfill.path("pages").asLong()
                        + " pages, " + backfill.path("rows").asLong() + " rows written");
                if (!backfill.path("finished_at").isNull() || ended(backfill)) {
                    return backfill;
                }
                Thread.sleep(pollMillis);
            }
        }
    }

    private static boolean ended(JsonNode backfill) {
        String status = backfill.path("status").asText();
        return status.equals("done") || status.equals("failed") || status.equals("cancelled");
    }

    private static int report(JsonNode backfill, PrintWriter out, PrintWriter err) {
        String status = backfill.path("status").asText();
        String summary = "Backfill " + backfill.path("id").asLong() + " " + status + ": "
                + backfill.path("pages").asLong() + " pages, " + backfill.path("records").asLong() + " records read, "
                + backfill.path("rows").asLong() + " rows written, " + backfill.path("dead_letters").asLong()
                + " dead letters, " + backfill.path("rows_per_second").asText("?") + " records/s";
        if (status.equals("done")) {
            out.println(summary);
            out.flush();
            return DONE;
        }
        err.println(summary + (backfill.path("error").isNull() ? "" : " (" + backfill.path("error").asText() + ")"));
        err.flush();
        return FAILED;
    }
}
