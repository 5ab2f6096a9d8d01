package dev.lpl.data.fashionmnist;

import static dev.lpl.data.idx.IdxReader.IMAGE_MAGIC;
import static dev.lpl.data.idx.IdxReader.LABEL_MAGIC;
import static dev.lpl.data.idx.IdxTestFiles.images;
import static dev.lpl.data.idx.IdxTestFiles.labels;
import static dev.lpl.data.idx.IdxTestFiles.pattern;
import static dev.lpl.data.idx.IdxTestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.lpl.api.LplException;
import dev.lpl.api.data.DatasetContext;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.data.Sha256;
import dev.lpl.data.TestSettings;
import dev.lpl.data.download.DownloadProgress;
import dev.lpl.data.download.Downloader;
import dev.lpl.data.testing.CifarFixtures;
import dev.lpl.data.testing.LocalServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FashionMnistDatasetFactoryTest {

    private static final int PIXELS = 28 * 28;
    private static final int TRAIN = 20;
    private static final int TEST = 10;

    @TempDir
    Path temp;

    private Path data;
    private Path cache;
    private Path system;

    private void directories() throws IOException {
        data = Files.createDirectories(temp.resolve("data"));
        cache = Files.createDirectories(temp.resolve("cache"));
        system = Files.createDirectories(temp.resolve("system"));
    }

    private FashionMnistDatasetFactory factory() {
        return new FashionMnistDatasetFactory(List.of(system));
    }

    /** Loads with downloads off: these tests must never reach the network. */
    private ImageDataset load(Path path) throws IOException {
        return factory().load(TestSettings.dataset("fashion-mnist", "download = false"), new DatasetContext(path, cache, 1));
    }

    private static byte[] trainLabels() {
        byte[] y = new byte[TRAIN];
        for (int i = 0; i < TRAIN; i++) {
            y[i] = (byte) (i % 10);
        }
        return y;
    }

    private static byte[] testLabels() {
        byte[] y = new byte[TEST];
        for (int i = 0; i < TEST; i++) {
            y[i] = (byte) (9 - i);
        }
        return y;
    }

    /** Writes a tiny, valid Fashion-MNIST with the given file-name suffix ("" or ".gz"). */
    private static void writeAll(Path dir, String suffix) throws IOException {
        write(dir.resolve("train-images-idx3-ubyte" + suffix),
                images(IMAGE_MAGIC, TRAIN, 28, 28, pattern(TRAIN * PIXELS, 1)));
        write(dir.resolve("train-labels-idx1-ubyte" + suffix), labels(LABEL_MAGIC, TRAIN, trainLabels()));
        write(dir.resolve("t10k-images-idx3-ubyte" + suffix),
                images(IMAGE_MAGIC, TEST, 28, 28, pattern(TEST * PIXELS, 2)));
        write(dir.resolve("t10k-labels-idx1-ubyte" + suffix), labels(LABEL_MAGIC, TEST, testLabels()));
    }

    @ParameterizedTest
    @ValueSource(strings = {".gz", ""})
    void readsTheFourFilesFromDataPath(String suffix) throws IOException {
        directories();
        writeAll(data, suffix);

        ImageDataset dataset = load(data);

        assertThat(dataset.name()).isEqualTo("fashion-mnist");
        assertThat(dataset.classNames()).containsExactly("T-shirt/top", "Trouser", "Pullover",
                "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
        assertThat(dataset.train().size()).isEqualTo(TRAIN);
        assertThat(dataset.test().size()).isEqualTo(TEST);
        assertThat(dataset.train().channels()).isEqualTo(1);
        assertThat(dataset.train().height()).isEqualTo(28);
        assertThat(dataset.train().width()).isEqualTo(28);
        assertThat(dataset.train().pixels()).isEqualTo(pattern(TRAIN * PIXELS, 1));
        assertThat(dataset.test().pixels()).isEqualTo(pattern(TEST * PIXELS, 2));
        assertThat(dataset.train().labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(dataset.test().labels()).containsExactly(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        assertThat(dataset.identity().keySet()).containsExactly("directory",
                "train-images-idx3-ubyte" + suffix, "train-labels-idx1-ubyte" + suffix,
                "t10k-images-idx3-ubyte" + suffix, "t10k-labels-idx1-ubyte" + suffix);
        assertThat(dataset.identity()).containsEntry("directory", data.toAbsolutePath().normalize().toString());
        for (String file : dataset.identity().keySet()) {
            if (!file.equals("directory")) {
                assertThat(dataset.identity().get(file))
                        .isEqualTo(Sha256.hex(Files.readAllBytes(data.resolve(file))));
            }
        }
        double mean = 0;
        for (byte p : dataset.train().pixels()) {
            mean += (p & 0xff) / 255.0 / dataset.train().pixels().length;
        }
        assertThat((double) dataset.mean()[0]).isCloseTo(mean, within(1e-6));
        assertThat(dataset.std()[0]).isPositive();
    }

    @Test
    void prefersGzipAndAcceptsAMixOfCompressedAndPlainFiles() throws IOException {
        directories();
        writeAll(data, "");
        write(data.resolve("train-images-idx3-ubyte.gz"),
                images(IMAGE_MAGIC, TRAIN, 28, 28, pattern(TRAIN * PIXELS, 5)));

        ImageDataset dataset = load(data);

        assertThat(dataset.train().pixels()).isEqualTo(pattern(TRAIN * PIXELS, 5));
        assertThat(dataset.identity()).containsKeys("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte");
    }

    @Test
    void withoutDataPathReadsTheCacheFirst() throws IOException {
        directories();
        Path inCache = Files.createDirectories(cache.resolve("fashion-mnist"));
        writeAll(inCache, ".gz");
        writeAll(system, ".gz");

        ImageDataset dataset = load(null);

        assertThat(dataset.identity()).containsEntry("directory", inCache.toAbsolutePath().normalize().toString());
    }

    @Test
    void withoutDataPathFallsBackToTheSystemDirectory() throws IOException {
        directories();
        Path inCache = Files.createDirectories(cache.resolve("fashion-mnist"));
        writeAll(inCache, ".gz");
        Files.delete(inCache.resolve("t10k-labels-idx1-ubyte.gz"));
        writeAll(system, "");

        ImageDataset dataset = load(null);

        assertThat(dataset.identity()).containsEntry("directory", system.toString());
        assertThat(dataset.test().size()).isEqualTo(TEST);
    }

    @Test
    void missingFilesNameTheFilesTheDirectoriesAndTheFixes() throws IOException {
        directories();
        writeAll(system, ".gz");
        Files.delete(system.resolve("train-labels-idx1-ubyte.gz"));
        Files.delete(system.resolve("t10k-images-idx3-ubyte.gz"));

        assertThatThrownBy(() -> load(null))
                .isInstanceOf(LplException.class)
                .satisfies(e -> {
                    String[] lines = e.getMessage().split("\n");
                    Path inCache = cache.resolve("fashion-mnist").toAbsolutePath().normalize();
                    assertThat(lines[0])
                            .contains("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
                            .contains(inCache + ", " + system)
                            .contains("install Debian's dataset-fashion-mnist")
                            .contains("put the four IDX files into " + inCache)
                            .contains("set data.path")
                            .contains("lpl data fetch fashion-mnist");
                    assertThat(lines).contains(
                            "  " + inCache + ": no such directory",
                            "  " + system + ": missing train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz");
                });
    }

    @Test
    void dataPathIsTheOnlyPlaceSearched() throws IOException {
        directories();
        writeAll(system, ".gz");
        writeAll(Files.createDirectories(cache.resolve("fashion-mnist")), ".gz");

        assertThatThrownBy(() -> load(data))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("Fashion-MNIST files not found in data.path " + data)
                .hasMessageContaining("train-images-idx3-ubyte.gz")
                .hasMessageContaining("put the four IDX files there")
                .hasMessageContaining("dataset-fashion-mnist")
                .hasMessageContaining("  " + data + ": missing train-images-idx3-ubyte.gz,"
                        + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz");
    }

    @Test
    void aDataPathThatIsAFileIsReported() throws IOException {
        directories();
        writeAll(data, ".gz");
        Path file = data.resolve("train-images-idx3-ubyte.gz");

        assertThatThrownBy(() -> load(file))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("Fashion-MNIST files not found in data.path " + file)
                .hasMessageContaining("  " + file + ": not a directory");
    }

    @Test
    void aFileWithTheWrongMagicIsNamed() throws IOException {
        directories();
        writeAll(data, ".gz");
        Path file = write(data.resolve("t10k-images-idx3-ubyte.gz"), labels(LABEL_MAGIC, TEST, testLabels()));

        assertThatThrownBy(() -> load(data))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(file + " is not an IDX image file: magic number 0x00000801")
                .hasMessageContaining("dataset-fashion-mnist");
    }

    @Test
    void aTruncatedFileIsNamed() throws IOException {
        directories();
        writeAll(data, "");
        Path file = data.resolve("train-labels-idx1-ubyte");
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 8 + TRAIN - 3));

        assertThatThrownBy(() -> load(data))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(file + " is truncated: expected 28 bytes, got 25");
    }

    @Test
    void aCorruptGzipFileIsNamed() throws IOException {
        directories();
        writeAll(data, ".gz");
        Path file = data.resolve("train-images-idx3-ubyte.gz");
        byte[] stored = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(stored, stored.length - 4));

        assertThatThrownBy(() -> load(data))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(file + " is not a valid gzip file");
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        directories();
        writeAll(data, ".gz");
        Path labelsFile = write(data.resolve("train-labels-idx1-ubyte.gz"),
                labels(LABEL_MAGIC, TRAIN - 1, Arrays.copyOf(trainLabels(), TRAIN - 1)));

        assertThatThrownBy(() -> load(data))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(labelsFile + " holds 19 labels but "
                        + data.resolve("train-images-idx3-ubyte.gz") + " holds 20 images");
    }

    @Test
    void aLabelOutOfRangeIsNamed() throws IOException {
        directories();
        writeAll(data, ".gz");
        byte[] y = testLabels();
        y[4] = 10;
        Path file = write(data.resolve("t10k-labels-idx1-ubyte.gz"), labels(LABEL_MAGIC, TEST, y));

        assertThatThrownBy(() -> load(data))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(file + " has label 10 at index 4, outside 0..9");
    }

    @Test
    void imagesOfAnotherSizeAreNamed() throws IOException {
        directories();
        writeAll(data, ".gz");
        Path file = write(data.resolve("train-images-idx3-ubyte.gz"),
                images(IMAGE_MAGIC, TRAIN, 32, 32, pattern(TRAIN * 32 * 32, 1)));

        assertThatThrownBy(() -> load(data))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(file + " holds images of 32×32 pixels, expected 28×28");
    }

    /** Serves a tiny valid Fashion-MNIST; returns the settings pointing at it, with the files' MD5s. */
    private String serveAll(LocalServer server) throws IOException {
        Path staging = Files.createDirectories(temp.resolve("staging"));
        writeAll(staging, ".gz");
        StringBuilder settings = new StringBuilder("url = \"" + server.base() + "files/\"");
        for (String base : FashionMnistDatasetFactory.FILES) {
            byte[] bytes = Files.readAllBytes(staging.resolve(base + ".gz"));
            server.serve("/files/" + base + ".gz", bytes);
            settings.append(", md5.").append(base).append(" = \"").append(CifarFixtures.md5(bytes)).append('"');
        }
        return settings.toString();
    }

    @Test
    void downloadsTheFourFilesIntoTheCacheOnlyWhenTheyAreFoundNowhere() throws IOException {
        directories();
        try (LocalServer server = LocalServer.start()) {
            String settings = serveAll(server);
            FashionMnistDatasetFactory factory = new FashionMnistDatasetFactory(List.of(system),
                    new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(5)));

            ImageDataset dataset = factory.load(TestSettings.dataset("fashion-mnist", settings),
                    new DatasetContext(null, cache, 1));

            Path inCache = cache.resolve("fashion-mnist").toAbsolutePath().normalize();
            assertThat(dataset.identity()).containsEntry("directory", inCache.toString());
            assertThat(dataset.train().pixels()).isEqualTo(pattern(TRAIN * PIXELS, 1));
            assertThat(server.requests()).containsExactlyInAnyOrder("GET /files/train-images-idx3-ubyte.gz",
                    "GET /files/train-labels-idx1-ubyte.gz", "GET /files/t10k-images-idx3-ubyte.gz",
                    "GET /files/t10k-labels-idx1-ubyte.gz");

            // found in the cache now: no more requests; found in data.path or the system directory: none either
            factory.load(TestSettings.dataset("fashion-mnist", settings), new DatasetContext(null, cache, 1));
            writeAll(data, ".gz");
            factory.load(TestSettings.dataset("fashion-mnist", settings), new DatasetContext(data, cache, 1));
            assertThat(server.requests()).hasSize(4);
            assertThat(factory.fetch(TestSettings.dataset("fashion-mnist", settings), cache,
                    DownloadProgress.none()).downloaded()).isEmpty();
        }
    }

    @Test
    void aDownloadWithTheWrongChecksumIsDeletedAndDataPathNeverDownloads() throws IOException {
        directories();
        try (LocalServer server = LocalServer.start()) {
            String settings = serveAll(server) + ", md5.t10k-labels-idx1-ubyte = \"00000000000000000000000000000000\"";
            FashionMnistDatasetFactory factory = new FashionMnistDatasetFactory(List.of(system),
                    new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(5)));

            assertThatThrownBy(() -> factory.fetch(TestSettings.dataset("fashion-mnist", settings), cache,
                    DownloadProgress.none()))
                    .isInstanceOf(LplException.class)
                    .hasMessageContaining("t10k-labels-idx1-ubyte.gz")
                    .hasMessageContaining("but the published checksum is 00000000000000000000000000000000")
                    .hasMessageContaining("apt-get install dataset-fashion-mnist");
            assertThat(cache.resolve("fashion-mnist/t10k-labels-idx1-ubyte.gz")).doesNotExist();
            assertThat(cache.resolve("fashion-mnist/train-images-idx3-ubyte.gz")).exists();

            int before = server.requests().size();
            assertThatThrownBy(() -> factory.load(TestSettings.dataset("fashion-mnist", settings),
                    new DatasetContext(data, cache, 1)))
                    .hasMessageStartingWith("Fashion-MNIST files not found in data.path " + data);
            assertThat(server.requests()).hasSize(before);
        }
    }

    @Test
    void readsTheRealFilesOfDebiansPackage() throws IOException {
        Path real = FashionMnistDatasetFactory.SYSTEM_DIRECTORY;
        Assumptions.assumeTrue(Files.isDirectory(real), real + " is absent (apt-get install dataset-fashion-mnist)");
        for (String name : FashionMnistDatasetFactory.FILES) {
            assumeThat(Files.isRegularFile(real.resolve(name + ".gz")) || Files.isRegularFile(real.resolve(name)))
                    .as(name).isTrue();
        }
        Path emptyCache = Files.createDirectories(temp.resolve("empty-cache"));

        long start = System.nanoTime();
        ImageDataset dataset = new FashionMnistDatasetFactory().load(
                TestSettings.dataset("fashion-mnist", ""), new DatasetContext(null, emptyCache, 1));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("Fashion-MNIST loaded in " + millis + " ms");

        assertThat(dataset.identity()).containsEntry("directory", real.toString());
        assertThat(dataset.train().size()).isEqualTo(60_000);
        assertThat(dataset.test().size()).isEqualTo(10_000);
        assertThat(dataset.train().classCounts(10)).containsOnly(6_000);
        assertThat(dataset.test().classCounts(10)).containsOnly(1_000);
        assertThat(dataset.train().pixels()).hasSize(60_000 * PIXELS);
        assertThat(dataset.mean()[0]).isCloseTo(0.2860f, within(0.0005f));
        assertThat(dataset.std()[0]).isCloseTo(0.3530f, within(0.0005f));
        assertThat(dataset.identity()).hasSize(5);
        assertThat(millis).as("load time in ms").isLessThan(20_000);
    }
}
