package dev.lpl.data.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import dev.lpl.data.testing.CifarFixtures;
import dev.lpl.data.testing.LocalServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {

    private static final byte[] CONTENT = new byte[300_000];

    static {
        new Random(7).nextBytes(CONTENT);
    }

    private static final String MD5 = CifarFixtures.md5(CONTENT);

    @TempDir
    Path temp;

    private LocalServer server;
    private final Downloader downloader = new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(5));
    private final List<String> events = new ArrayList<>();
    private final DownloadProgress recorder = new DownloadProgress() {
        @Override
        public void started(String name, long resumedFrom, long totalBytes) {
            events.add("started " + name + " " + resumedFrom + " " + totalBytes);
        }

        @Override
        public void advanced(long bytesDone) {
            events.add("advanced " + bytesDone);
        }

        @Override
        public void finished(long bytesDone) {
            events.add("finished " + bytesDone);
        }

        @Override
        public void note(String message) {
            events.add("note " + message);
        }
    };

    @BeforeEach
    void startServer() throws IOException {
        server = LocalServer.start().serve("/data.bin", CONTENT);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private URI url() {
        return server.base().resolve("data.bin");
    }

    @Test
    void downloadsVerifiesAndMovesIntoPlace() throws IOException {
        Path target = temp.resolve("cache/data.bin");

        Downloader.Result result = downloader.download(url(), target, MD5.toUpperCase(), recorder, "");

        assertThat(Files.readAllBytes(target)).isEqualTo(CONTENT);
        assertThat(temp.resolve("cache/data.bin.part")).doesNotExist();
        assertThat(result.md5()).isEqualTo(MD5);
        assertThat(result.bytes()).isEqualTo(CONTENT.length);
        assertThat(result.sha256()).isEqualTo(Checksums.of(target).sha256());
        assertThat(result.resumedFrom()).isZero();
        assertThat(events.get(0)).isEqualTo("started data.bin 0 " + CONTENT.length);
        assertThat(events.get(events.size() - 1)).isEqualTo("finished " + CONTENT.length);
        assertThat(events).anyMatch(e -> e.startsWith("advanced "));
        assertThat(server.requests()).containsExactly("GET /data.bin");
    }

    @Test
    void resumesAPartialDownloadWithARangeRequest() throws IOException {
        Path target = temp.resolve("data.bin");
        Files.write(temp.resolve("data.bin.part"), Arrays.copyOf(CONTENT, 100_000));

        Downloader.Result result = downloader.download(url(), target, MD5, recorder, "");

        assertThat(server.requests()).containsExactly("GET /data.bin bytes=100000-");
        assertThat(result.resumedFrom()).isEqualTo(100_000);
        assertThat(result.md5()).isEqualTo(MD5);
        assertThat(Files.readAllBytes(target)).isEqualTo(CONTENT);
        assertThat(events.get(0)).isEqualTo("started data.bin 100000 " + CONTENT.length);
    }

    @Test
    void startsOverWhenTheServerIgnoresTheRange() throws IOException {
        server.ranges(false);
        Path target = temp.resolve("data.bin");
        Files.write(temp.resolve("data.bin.part"), new byte[50_000]); // not even a prefix of the file

        Downloader.Result result = downloader.download(url(), target, MD5, recorder, "");

        assertThat(result.resumedFrom()).isZero();
        assertThat(Files.readAllBytes(target)).isEqualTo(CONTENT);
    }

    @Test
    void aPartialFileThatIsAlreadyCompleteIsAccepted() throws IOException {
        Path target = temp.resolve("data.bin");
        Files.write(temp.resolve("data.bin.part"), CONTENT);

        Downloader.Result result = downloader.download(url(), target, MD5, recorder, "");

        assertThat(server.requests()).containsExactly("GET /data.bin bytes=" + CONTENT.length + "-");
        assertThat(result.md5()).isEqualTo(MD5);
        assertThat(Files.readAllBytes(target)).isEqualTo(CONTENT);
    }

    @Test
    void aChecksumMismatchDeletesTheFileAndSaysSo() {
        Path target = temp.resolve("data.bin");
        String wrong = "0123456789abcdef0123456789abcdef";

        assertThatThrownBy(() -> downloader.download(url(), target, wrong, recorder, "or set data.path"))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("download of " + url() + " (0.3 MB) has MD5 " + MD5
                        + " but the published checksum is " + wrong)
                .hasMessageContaining("was deleted")
                .hasMessageContaining("by hand")
                .hasMessageContaining("put it into " + temp)
                .hasMessageContaining("or set data.path");
        assertThat(target).doesNotExist();
        assertThat(temp.resolve("data.bin.part")).doesNotExist();
    }

    @Test
    void anHttpErrorNamesTheStatusAndTheManualFix() {
        server.fail("/data.bin", 404);

        assertThatThrownBy(() -> downloader.download(url(), temp.resolve("data.bin"), MD5, recorder, ""))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("download of " + url() + " failed: HTTP 404 (not found")
                .hasMessageContaining("download " + url() + " by hand")
                .hasMessageContaining("check that its MD5 is " + MD5);
        assertThat(temp.resolve("data.bin")).doesNotExist();
    }

    @Test
    void anInterruptedTransferKeepsThePartialFileAndTheNextAttemptResumes() throws IOException {
        server.cutAfter("/data.bin", 120_000);
        Path target = temp.resolve("data.bin");

        assertThatThrownBy(() -> downloader.download(url(), target, MD5, recorder, ""))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("download of " + url() + " was interrupted after")
                .hasMessageContaining("the partial file " + temp.resolve("data.bin.part") + " is kept")
                .hasMessageContaining("run the command again to resume");
        assertThat(target).doesNotExist();
        long kept = Files.size(temp.resolve("data.bin.part"));
        assertThat(kept).isPositive().isLessThanOrEqualTo(120_000);

        server.behave();
        Downloader.Result result = downloader.download(url(), target, MD5, recorder, "");

        assertThat(server.requests()).last().isEqualTo("GET /data.bin bytes=" + kept + "-");
        assertThat(result.resumedFrom()).isEqualTo(kept);
        assertThat(Files.readAllBytes(target)).isEqualTo(CONTENT);
    }

    @Test
    void aStalledTransferIsAbandonedAndKeptForResuming() {
        server.stallAfter("/data.bin", 10_000, 5_000);
        Downloader impatient = new Downloader(Duration.ofSeconds(5), Duration.ofMillis(400));
        Path target = temp.resolve("data.bin");

        long start = System.nanoTime();
        assertThatThrownBy(() -> impatient.download(url(), target, MD5, recorder, ""))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("stalled")
                .hasMessageContaining("is kept");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(4.5);
        assertThat(temp.resolve("data.bin.part")).exists();
    }

    @Test
    void anUnreachableServerSaysHowToDownloadByHand() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + port + "/cifar-10-binary.tar.gz");
        Path target = temp.resolve("cache/cifar-10-binary.tar.gz");

        assertThatThrownBy(() -> downloader.download(closed, target, MD5, recorder, "or set data.path to a directory holding it"))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("cannot download " + closed + ": ")
                .hasMessageContaining("no network")
                .hasMessageContaining("download " + closed + " by hand")
                .hasMessageContaining("put it into " + temp.resolve("cache"))
                .hasMessageContaining("or set data.path to a directory holding it");
    }

    @Test
    void offlineModeRefusesEveryHostButTheLoopback() throws IOException {
        String before = System.getProperty(Downloader.OFFLINE_PROPERTY);
        System.setProperty(Downloader.OFFLINE_PROPERTY, "true");
        try {
            URI remote = URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
            assertThatThrownBy(() -> downloader.download(remote, temp.resolve("c.tar.gz"), MD5, recorder, ""))
                    .isInstanceOf(LplException.class)
                    .hasMessageStartingWith("downloads are disabled (lpl.offline=true), so " + remote + " is not fetched;")
                    .hasMessageContaining("by hand");
            assertThat(downloader.download(url(), temp.resolve("data.bin"), MD5, recorder, "").md5()).isEqualTo(MD5);
        } finally {
            if (before == null) {
                System.clearProperty(Downloader.OFFLINE_PROPERTY);
            } else {
                System.setProperty(Downloader.OFFLINE_PROPERTY, before);
            }
        }
    }

    @Test
    void lineProgressPrintsPercentagesAndRates() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DownloadProgress lines = DownloadProgress.lines(new PrintStream(bytes, true, StandardCharsets.UTF_8), Duration.ZERO);
        lines.started("x.tar.gz", 0, 2_000_000);
        lines.advanced(1_000_000);
        lines.finished(2_000_000);
        lines.note("extracting x.tar.gz");

        List<String> printed = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(printed.get(0)).isEqualTo("downloading x.tar.gz (2.0 MB)");
        assertThat(printed.get(1)).matches("x\\.tar\\.gz: 50% 1\\.0/2\\.0 MB, [0-9.]+ MB/s");
        assertThat(printed.get(2)).startsWith("x.tar.gz: 100% 2.0/2.0 MB");
        assertThat(printed.get(3)).isEqualTo("extracting x.tar.gz");
    }
}
