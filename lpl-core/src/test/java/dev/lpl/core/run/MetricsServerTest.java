package dev.lpl.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The live metrics endpoint, scraped on the loopback address only. */
class MetricsServerTest {

    private static HttpResponse<String> get(String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheRunsMetricsAndTheJvmsAndTheProcesss() throws Exception {
        try (MetricsServer server = new MetricsServer("127.0.0.1", 0, () -> "# TYPE lpl_epoch gauge\nlpl_epoch 3.0\n")) {
            assertThat(server.port()).isPositive();
            assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/metrics");
            HttpResponse<String> r = get(server.url());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            String body = r.body();
            assertThat(body).startsWith("# TYPE lpl_epoch gauge\nlpl_epoch 3.0\n");
            // one meter of each binder
            assertThat(body).contains("jvm_memory_used_bytes{", "jvm_memory_max_bytes{", "jvm_gc_", "jvm_threads_live_threads",
                    "jvm_classes_loaded_classes", "process_cpu_usage", "system_cpu_count", "process_uptime_seconds");
            if (ResidentMemory.current().isPresent()) {
                assertThat(body).contains("process_resident_memory_bytes");
            }
        }
    }

    @Test
    void aBindErrorNamesHostAndPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> new MetricsServer("127.0.0.1", port, () -> ""))
                    .isInstanceOf(LplException.class)
                    .hasMessageStartingWith("cannot serve metrics on 127.0.0.1:" + port + " (")
                    .hasMessageEndingWith("); choose another --metrics-port or --metrics-host");
        }
    }
}
