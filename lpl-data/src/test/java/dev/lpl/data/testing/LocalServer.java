package dev.lpl.data.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny HTTP/1.1 file server on 127.0.0.1 (an ephemeral port) for download tests: serves byte
 * arrays, honours {@code Range: bytes=N-} when asked to, and can misbehave on purpose (an error
 * status, a body cut short, a stall). Records every request.
 */
public final class LocalServer implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, Long> cutAfter = new ConcurrentHashMap<>();
    private final Map<String, long[]> stalls = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile boolean ranges = true;

    private LocalServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts a server.
     *
     * @return the running server
     * @throws IOException if it cannot bind
     */
    public static LocalServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        LocalServer local = new LocalServer(server);
        server.createContext("/", local::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return local;
    }

    /**
     * Returns the base URL, ending with a slash.
     *
     * @return {@code http://127.0.0.1:PORT/}
     */
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /**
     * Serves bytes at a path.
     *
     * @param path e.g. {@code /cifar-10-binary.tar.gz}
     * @param content the bytes
     * @return this server
     */
    public LocalServer serve(String path, byte[] content) {
        files.put(path, content);
        return this;
    }

    /**
     * Answers every request for a path with a status and an empty body.
     *
     * @param path the path
     * @param status e.g. 404
     * @return this server
     */
    public LocalServer fail(String path, int status) {
        statuses.put(path, status);
        return this;
    }

    /**
     * Sends only the first bytes of a path's body (announcing the full length) and closes.
     *
     * @param path the path
     * @param bytes bytes sent before closing
     * @return this server
     */
    public LocalServer cutAfter(String path, long bytes) {
        cutAfter.put(path, bytes);
        return this;
    }

    /**
     * Pauses a path's body after some bytes.
     *
     * @param path the path
     * @param bytes bytes sent before pausing
     * @param millis pause length
     * @return this server
     */
    public LocalServer stallAfter(String path, long bytes, long millis) {
        stalls.put(path, new long[] {bytes, millis});
        return this;
    }

    /** Stops any misbehaviour. */
    public void behave() {
        statuses.clear();
        cutAfter.clear();
        stalls.clear();
    }

    /**
     * Sets whether Range requests are honoured (default) or answered with the whole file.
     *
     * @param honoured true to honour them
     * @return this server
     */
    public LocalServer ranges(boolean honoured) {
        this.ranges = honoured;
        return this;
    }

    /**
     * Returns the requests received, as {@code "GET /path"} or {@code "GET /path bytes=N-"}.
     *
     * @return the requests, in order
     */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String range = exchange.getRequestHeaders().getFirst("Range");
            requests.add(exchange.getRequestMethod() + " " + path + (range == null ? "" : " " + range));
            Integer status = statuses.get(path);
            byte[] content = files.get(path);
            if (status != null || content == null) {
                exchange.sendResponseHeaders(status != null ? status : 404, -1);
                return;
            }
            long start = 0;
            Matcher m = range == null ? null : RANGE.matcher(range.trim());
            if (ranges && m != null && m.matches()) {
                start = Long.parseLong(m.group(1));
                if (start >= content.length) {
                    exchange.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                exchange.getResponseHeaders().add("Content-Range",
                        "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
                exchange.sendResponseHeaders(206, content.length - start);
            } else {
                exchange.sendResponseHeaders(200, content.length);
            }
            OutputStream out = exchange.getResponseBody();
            long end = content.length;
            Long cut = cutAfter.get(path);
            if (cut != null) {
                end = Math.min(end, start + cut);
            }
            long[] stall = stalls.get(path);
            long position = start;
            if (stall != null) {
                long pause = Math.min(end, start + stall[0]);
                out.write(content, (int) position, (int) (pause - position));
                out.flush();
                position = pause;
                try {
                    Thread.sleep(stall[1]);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            try {
                out.write(content, (int) position, (int) (end - position));
                out.flush();
            } catch (IOException e) {
                return; // the client went away
            }
            if (cut != null && end < content.length) {
                // A handler that fails makes HttpServer drop the connection with bytes missing:
                // the client sees a premature end of the body.
                throw new IOException("body cut after " + (end - start) + " bytes on purpose");
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
