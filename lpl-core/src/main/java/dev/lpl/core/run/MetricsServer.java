package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import dev.lpl.api.LplException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves a run's metrics in the Prometheus text format at {@code http://127.0.0.1:PORT/metrics}
 * (loopback only: training hosts should not expose an unauthenticated port).
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;

    /**
     * Starts the server.
     *
     * @param port the port (0 for any free port)
     * @param scrape produces the exposition text
     */
    public MetricsServer(int port, Supplier<String> scrape) {
        requireNonNull(scrape, "scrape is null");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new LplException("cannot serve metrics on 127.0.0.1:" + port + " (" + e.getMessage()
                    + "); choose another --metrics-port", e);
        }
        server.createContext("/metrics", exchange -> {
            byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(null);
        server.start();
    }

    /**
     * Returns the bound port.
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
