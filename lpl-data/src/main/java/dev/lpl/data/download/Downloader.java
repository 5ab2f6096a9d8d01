package dev.lpl.data.download;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a file over HTTP(S) into place, safely:
 *
 * <ol>
 *   <li>the bytes go to {@code <target>.part}; when such a partial file exists from an interrupted
 *       download, the download resumes with an HTTP {@code Range} request (a server that answers
 *       with the whole file instead is handled by starting over);
 *   <li>the progress is reported to a {@link DownloadProgress};
 *   <li>the MD5 the publisher printed is checked before the file is moved (atomically, where the
 *       file system can) to {@code target}; a mismatch deletes the partial file;
 *   <li>a transfer that stops delivering bytes for the stall timeout is abandoned, keeping the
 *       partial file for the next attempt (waiting for the response headers is bounded by the same
 *       timeout).
 * </ol>
 *
 * <p>Every failure is an {@link LplException} naming the URL and the file, and saying what to do,
 * including how to download the file by hand when this machine has no network.
 */
public final class Downloader {

    /** How long a transfer may deliver no bytes before it is abandoned. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    /** How long connecting may take. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The system property that, set to {@code true}, forbids downloads from anywhere but the
     * loopback address (the build sets it for every test, so no test can reach the network).
     */
    public static final String OFFLINE_PROPERTY = "lpl.offline";

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int BUFFER_BYTES = 1 << 16;

    private final Duration connectTimeout;
    private final Duration stallTimeout;
    private HttpClient client; // created on first use: most runs never download

    /** Creates a downloader with the default timeouts. */
    public Downloader() {
        this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_STALL_TIMEOUT);
    }

    /**
     * Creates a downloader.
     *
     * @param connectTimeout how long connecting may take
     * @param stallTimeout how long a transfer may deliver no bytes
     */
    public Downloader(Duration connectTimeout, Duration stallTimeout) {
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.stallTimeout = requireNonNull(stallTimeout, "stallTimeout is null");
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        }
        return client;
    }

    /**
     * What was downloaded.
     *
     * @param file the file, now in place
     * @param bytes its size
     * @param md5 its MD5 (lower-case hex)
     * @param sha256 its SHA-256 (lower-case hex)
     * @param resumedFrom the bytes taken over from an earlier partial download (0 if none)
     */
    public record Result(Path file, long bytes, String md5, String sha256, long resumedFrom) {}

    /**
     * Downloads a URL to a file.
     *
     * @param url the URL
     * @param target the file to create (its directory is created; an existing file is replaced)
     * @param expectedMd5 the published MD5 (hex, any case), or null to skip the check
     * @param progress where progress goes
     * @param alternative what else the user can do besides downloading by hand (e.g. "or set
     *     data.path to a directory holding it"), or an empty string
     * @return what was downloaded
     * @throws LplException on an HTTP error, a network failure, a stalled or interrupted transfer,
     *     or a checksum mismatch
     * @throws IOException if the local file system fails
     */
    public Result download(URI url, Path target, String expectedMd5, DownloadProgress progress, String alternative)
            throws IOException {
        requireNonNull(url, "url is null");
        requireNonNull(target, "target is null");
        requireNonNull(progress, "progress is null");
        requireNonNull(alternative, "alternative is null");
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Failure failure = new Failure(url, target, expectedMd5, alternative);
        if (Boolean.getBoolean(OFFLINE_PROPERTY) && !isLoopback(url)) {
            throw new LplException("downloads are disabled (" + OFFLINE_PROPERTY + "=true), so " + url
                    + " is not fetched; " + failure.byHand());
        }
        boolean mayResume = true;
        while (true) {
            long existing = mayResume && Files.isRegularFile(part) ? Files.size(part) : 0;
            HttpRequest.Builder request = HttpRequest.newBuilder(url).GET()
                    .timeout(stallTimeout).header("User-Agent", "lpl");
            if (existing > 0) {
                request.header("Range", "bytes=" + existing + "-");
            }
            HttpResponse<InputStream> response = send(request.build(), failure);
            int status = response.statusCode();
            long total;
            boolean append;
            if (existing > 0 && status == 206) {
                Optional<long[]> range = contentRange(response);
                if (range.isEmpty() || range.get()[0] != existing) {
                    // A range we did not ask for: start over rather than guess.
                    response.body().close();
                    Files.deleteIfExists(part);
                    mayResume = false;
                    continue;
                }
                total = range.get()[2];
                append = true;
            } else if (existing > 0 && status == 416) {
                // Nothing left to send: the partial file may already be complete.
                response.body().close();
                Checksums.FileDigests digests = Checksums.of(part);
                if (expectedMd5 == null || digests.md5().equalsIgnoreCase(expectedMd5)) {
                    moveIntoPlace(part, target);
                    return new Result(target, digests.bytes(), digests.md5(), digests.sha256(), digests.bytes());
                }
                Files.deleteIfExists(part);
                mayResume = false;
                continue;
            } else if (status == 200) {
                total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                append = false;
                existing = 0;
            } else {
                response.body().close();
                throw failure.http(status);
            }
            return transfer(response.body(), part, target, existing, append, total, progress, failure);
        }
    }

    private static boolean isLoopback(URI url) {
        String host = url.getHost();
        return host != null && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")
                || host.equals("::1"));
    }

    private HttpResponse<InputStream> send(HttpRequest request, Failure failure) throws IOException {
        try {
            return client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + request.uri());
        } catch (IOException e) {
            throw failure.unreachable(e);
        }
    }

    private static Optional<long[]> contentRange(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Content-Range");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = CONTENT_RANGE.matcher(header.get().trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        return Optional.of(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), total});
    }

    private Result transfer(InputStream body, Path part, Path target, long existing, boolean append, long total,
            DownloadProgress progress, Failure failure) throws IOException {
        MessageDigest md5 = Checksums.newDigest("MD5");
        MessageDigest sha256 = Checksums.newDigest("SHA-256");
        if (append) {
            digestExisting(part, md5, sha256);
        }
        String name = target.getFileName().toString();
        progress.started(name, existing, total);
        AtomicLong lastActivity = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        long stallNanos = stallTimeout.toNanos();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lpl-download-watchdog");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, Math.min(1000, stallTimeout.toMillis() / 4));
        watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastActivity.get() > stallNanos && stalled.compareAndSet(false, true)) {
                // Closing the body wakes the blocked reader (HttpClient's stream ignores interrupts).
                try {
                    body.close();
                } catch (IOException e) {
                    // the reader fails either way
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
        long done = existing;
        StandardOpenOption[] options = append
                ? new StandardOpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.APPEND}
                : new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE};
        try (InputStream in = body; OutputStream out = Files.newOutputStream(part, options)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                md5.update(buffer, 0, n);
                sha256.update(buffer, 0, n);
                done += n;
                lastActivity.set(System.nanoTime());
                progress.advanced(done);
            }
        } catch (IOException e) {
            watchdog.shutdownNow();
            progress.finished(done);
            if (stalled.get()) {
                throw failure.stalled(part, Files.isRegularFile(part) ? Files.size(part) : 0, total, stallTimeout);
            }
            throw failure.interrupted(part, Files.isRegularFile(part) ? Files.size(part) : 0, total, e);
        } finally {
            watchdog.shutdownNow();
        }
        progress.finished(done);
        if (total >= 0 && done < total) {
            throw failure.interrupted(part, done, total, null);
        }
        String gotMd5 = Checksums.hex(md5);
        if (failure.expectedMd5() != null && !gotMd5.equalsIgnoreCase(failure.expectedMd5())) {
            Files.deleteIfExists(part);
            throw failure.mismatch(gotMd5, done);
        }
        moveIntoPlace(part, target);
        return new Result(target, done, gotMd5, Checksums.hex(sha256), existing);
    }

    private static void digestExisting(Path part, MessageDigest md5, MessageDigest sha256) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(part)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                md5.update(buffer, 0, n);
                sha256.update(buffer, 0, n);
            }
        }
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** Builds the error messages of one download. */
    private record Failure(URI url, Path target, String expectedMd5, String alternative) {

        private String byHand() {
            Path directory = target.toAbsolutePath().getParent();
            String check = expectedMd5 == null ? "" : ", check that its MD5 is " + expectedMd5.toLowerCase(Locale.ROOT);
            return "download " + url + " by hand (browser, curl or wget)" + check + " and put it into "
                    + directory + (alternative.isEmpty() ? "" : ", " + alternative);
        }

        LplException http(int status) {
            String meaning = switch (status) {
                case 401, 403 -> " (access denied)";
                case 404, 410 -> " (not found: the URL may have moved; set the dataset's url)";
                case 429 -> " (too many requests: try again later)";
                default -> status >= 500 ? " (server error: try again later)" : "";
            };
            return new LplException("download of " + url + " failed: HTTP " + status + meaning + "; " + byHand());
        }

        LplException unreachable(IOException e) {
            String detail = e.getMessage() == null || e.getMessage().isBlank()
                    ? e.getClass().getSimpleName()
                    : e.getMessage();
            return new LplException("cannot download " + url + ": " + detail
                    + " (no network, a proxy or a firewall?); " + byHand(), e);
        }

        LplException interrupted(Path part, long have, long total, IOException e) {
            String of = total >= 0 ? " of " + mb(total) : "";
            String detail = e == null ? "the server closed the connection"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new LplException("download of " + url + " was interrupted after " + mb(have) + of + " ("
                    + detail + "); the partial file " + part + " is kept: run the command again to resume, or "
                    + byHand(), e);
        }

        LplException stalled(Path part, long have, long total, Duration timeout) {
            String of = total >= 0 ? " of " + mb(total) : "";
            String quiet = timeout.toMillis() >= 1000 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
            return new LplException("download of " + url + " stalled: no data for " + quiet + " after " + mb(have) + of + "; the partial file " + part
                    + " is kept: run the command again to resume, or " + byHand());
        }

        LplException mismatch(String gotMd5, long bytes) {
            return new LplException("download of " + url + " (" + mb(bytes) + ") has MD5 " + gotMd5
                    + " but the published checksum is " + expectedMd5.toLowerCase(Locale.ROOT)
                    + ": the file is corrupt or was changed, and was deleted; run the command again, or "
                    + byHand());
        }
    }
}
