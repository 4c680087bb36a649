package com.dce.etl.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code java -jar target/dce-etl.jar <args>} as a user runs it: a process of its own, its exit code and output. */
public record CommandRun(int exitCode, String out, String err) {

    public static CommandRun of(Map<String, String> environment, String... args) throws IOException,
            InterruptedException {
        return in(Path.of("").toAbsolutePath(), environment, args);
    }

    /** The same, started in {@code directory}. */
    public static CommandRun in(Path directory, Map<String, String> environment, String... args) throws IOException,
            InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(ApplicationCommand.of(List.of(), List.of(args))).directory(directory.toFile());
        builder.environment().remove("DCE_ADMIN_TOKEN");
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process, true));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process, false));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("dce-etl " + String.join(" ", args) + " did not end in 120 s");
        }
        return new CommandRun(process.exitValue(), out.join(), err.join());
    }

    private static String read(Process process, boolean out) {
        try {
            return new String((out ? process.getInputStream() : process.getErrorStream()).readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
