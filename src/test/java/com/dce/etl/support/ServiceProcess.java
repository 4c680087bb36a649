package com.dce.etl.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

/**
 * The service as a separate JVM, started like {@code java -jar target/dce-etl.jar} from the project directory (with
 * the test classpath), so a test can kill it with SIGKILL or stop it with SIGTERM as an operator's machine would.
 */
public final class ServiceProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts an instance with {@code settings} as -D properties and waits until its health check answers. */
    public static ServiceProcess start(String name, Map<String, String> settings) throws Exception {
        return start(name, settings, "-Xmx512m");
    }

    public static ServiceProcess start(String name, Map<String, String> settings, String... jvmOptions)
            throws Exception {
        int port = settings.containsKey("dce.http.port") ? Integer.parseInt(settings.get("dce.http.port"))
                : RunningService.freePort();
        List<String> options = new ArrayList<>(List.of(jvmOptions));
        options.addAll(List.of("-Ddce.http.port=" + port, "-Ddce.routes.reload-enabled=false"));
        settings.forEach((key, value) -> options.add("-D" + key + "=" + value));
        List<String> command = ApplicationCommand.of(options, List.of());
        Path log = Files.createTempFile("dce-" + name + "-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ServiceProcess service = new ServiceProcess(process, port, log);
        service.awaitHealthy(Duration.ofSeconds(60));
        return service;
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("service exited with " + process.exitValue() + ":\n" + logTail());
                }
                try {
                    return HTTP.send(HttpRequest.newBuilder(uri("/observe/health")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("service not healthy in " + timeout + ":\n" + logTail());
        }
    }

    public int port() {
        return port;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + port + pathAndQuery);
    }

    public long pid() {
        return process.pid();
    }

    /** POSTs a JSON body; the answer's status, or -1 when the service did not answer (killed, not listening). */
    public int postJson(String pathAndQuery, String body) {
        return postJson(port, pathAndQuery, body);
    }

    /** The same against whatever listens on {@code port} of this machine, before or after a service runs there. */
    public static int postJson(int port, String pathAndQuery, String body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, nothing flushed, like a machine losing power. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: a graceful stop; returns the exit code. */
    public int terminate(Duration timeout) throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("service did not stop within " + timeout + ":\n" + logTail());
        }
        return process.exitValue();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
