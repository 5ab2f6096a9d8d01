package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import dev.lpl.api.LplException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves a run's metrics in the Prometheus text format at {@code http://HOST:PORT/metrics}: the
 * run's own meters, followed by the JVM's and the process's (Micrometer's binders: heap and
 * non-heap memory by pool, garbage collections, threads, loaded classes, CPU usage and count,
 * uptime, and the resident set size where {@code /proc} tells it). These are served only, never
 * written to the run directory's {@code metrics.prom}, which describes the run rather than the
 * process. The default host is the loopback address: a training host should not expose an
 * unauthenticated port unless asked to.
 */
public final class MetricsServer implements AutoCloseable {

    /** The address served unless {@code --metrics-host} names another. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private final HttpServer server;
    private final String host;
    private final PrometheusMeterRegistry process = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /**
     * Starts the server.
     *
     * @param host the address to bind (a name or an IP address; {@code 0.0.0.0} for every interface)
     * @param port the port (0 for any free port)
     * @param scrape produces the run's exposition text
     * @throws LplException when the host is unknown or the address cannot be bound
     */
    public MetricsServer(String host, int port, Supplier<String> scrape) {
        requireNonNull(host, "host is null");
        requireNonNull(scrape, "scrape is null");
        this.host = host;
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new LplException("cannot serve metrics on " + hostPort(host, port) + ": unknown host " + host
                    + "; choose another --metrics-host");
        }
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new LplException("cannot serve metrics on " + hostPort(host, port) + " (" + e.getMessage()
                    + "); choose another --metrics-port or --metrics-host", e);
        }
        new JvmMemoryMetrics().bindTo(process);
        gc.bindTo(process);
        new JvmThreadMetrics().bindTo(process);
        new ClassLoaderMetrics().bindTo(process);
        new ProcessorMetrics().bindTo(process);
        new UptimeMetrics().bindTo(process);
        if (ResidentMemory.current().isPresent()) {
            Gauge.builder("process.resident.memory", () -> ResidentMemory.current().orElse(-1))
                    .description("resident set size of the process (VmRSS)")
                    .baseUnit("bytes")
                    .register(process);
        }
        server.createContext("/metrics", exchange -> {
            byte[] body = (scrape.get() + process.scrape()).getBytes(StandardCharsets.UTF_8);
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

    /**
     * Returns the address to scrape, with the host as given.
     *
     * @return e.g. {@code http://127.0.0.1:9464/metrics}
     */
    public String url() {
        return "http://" + hostPort(host, port()) + "/metrics";
    }

    /** {@code host:port}, an IPv6 literal in brackets. */
    private static String hostPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public void close() {
        server.stop(0);
        gc.close();
        process.close();
    }
}
