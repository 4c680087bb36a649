package com.dce.etl.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import com.dce.etl.DceMain;
import com.dce.etl.channel.ChannelRegistry;
import com.dce.etl.channel.ChannelRuns;
import com.dce.etl.channel.ScheduledChannel;

/**
 * The real service, started in this JVM on a free port with its own H2 file database, the project's routes and
 * mapping files, and the given property overrides. Tests talk to it over HTTP and read its database.
 */
public final class RunningService implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Main main;
    private final int port;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningService(Main main, int port, Path dataDir) {
        this.main = main;
        this.port = port;
        this.dataDir = dataDir;
    }

    public static RunningService start(Map<String, String> overrides) throws Exception {
        return start(overrides, context -> { });
    }

    /** With {@code afterWiring} run once the service's beans are bound, before the routes are built from them. */
    public static RunningService start(Map<String, String> overrides, AfterWiring afterWiring) throws Exception {
        Path dataDir = Files.createTempDirectory("dce-test");
        int port = freePort();
        Properties properties = new Properties();
        properties.setProperty("dce.http.port", Integer.toString(port));
        properties.setProperty("dce.db.url", TestDatabase.freshUrl(dataDir));
        properties.setProperty("dce.db.user", TestDatabase.user());
        properties.setProperty("camel.main.name", "dce-test-" + INSTANCES.incrementAndGet());
        properties.setProperty("dce.routes.reload-enabled", "false");
        properties.setProperty("dce.retry.initial-delay-ms", "50");
        properties.setProperty("dce.retry.max-delay-ms", "500");
        properties.putAll(overrides);
        Main main = DceMain.create(properties);
        main.configure().addConfiguration(new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) throws Exception {
                afterWiring.configure(context);
            }
        });
        main.start();
        return new RunningService(main, port, dataDir);
    }

    /** A change to the service's beans, made before its routes are built from them. */
    public interface AfterWiring {
        void configure(CamelContext context) throws Exception;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    /** Runs a poll stream or tracker sync now and waits for it, as its schedule would; false when it did not start. */
    public boolean runNow(String provider, String stream) throws Exception {
        return new ChannelRuns(context(), context().createProducerTemplate()).run(channel(provider, stream));
    }

    /** The poll stream or tracker sync the routes files declare for the provider under this name. */
    public ScheduledChannel channel(String provider, String stream) {
        return bean("channels", ChannelRegistry.class).find(ScheduledChannel.class, provider, stream)
                .orElseThrow(() -> new IllegalArgumentException("no channel " + provider + " " + stream));
    }

    public DataSource dataSource() {
        return bean("dataSource", DataSource.class);
    }

    public Db db() {
        return new Db(dataSource());
    }

    public Path dataDir() {
        return dataDir;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + port + pathAndQuery);
    }

    public HttpResponse<String> post(String pathAndQuery, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postBytes(String pathAndQuery, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
