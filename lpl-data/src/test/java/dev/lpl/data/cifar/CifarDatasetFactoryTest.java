package dev.lpl.data.cifar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.data.DatasetContext;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.data.DownloadableDataset;
import dev.lpl.data.Sha256;
import dev.lpl.data.archive.TarGz;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarDatasetFactoryTest {

    private static final int TRAIN = 10; // per class (5 files of 20 records for CIFAR-10)
    private static final int TEST = 4;

    @TempDir
    Path temp;

    private LocalServer server;
    private Path cache;
    private byte[] archive10;

    @BeforeEach
    void setUp() throws IOException {
        cache = temp.resolve("cache");
        archive10 = CifarFixtures.archive(CifarVariant.CIFAR10, TRAIN, TEST);
        server = LocalServer.start().serve("/cifar-10-binary.tar.gz", archive10);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private static CifarDatasetFactory factory(CifarVariant variant) {
        return new CifarDatasetFactory(variant, new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    private Settings settings(String name, String md5, boolean download) {
        return TestSettings.dataset(name, "url = \"" + server.base() + "\", md5 = \"" + md5 + "\", download = "
                + download);
    }

    private Settings cifar10() {
        return settings("cifar10", CifarFixtures.md5(archive10), true);
    }

    private ImageDataset load10(Path dataPath) throws IOException {
        return factory(CifarVariant.CIFAR10).load(cifar10(), new DatasetContext(dataPath, cache, 1));
    }

    private List<String> tree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private static void assertIsTheGeneratedCifar10(ImageDataset dataset) {
        assertThat(dataset.name()).isEqualTo("cifar10");
        assertThat(dataset.classNames()).containsExactly("airplane", "automobile", "bird", "cat", "deer", "dog",
                "frog", "horse", "ship", "truck");
        assertThat(dataset.train().size()).isEqualTo(TRAIN * 10);
        assertThat(dataset.test().size()).isEqualTo(TEST * 10);
        assertThat(dataset.train().channels()).isEqualTo(3);
        assertThat(dataset.train().height()).isEqualTo(32);
        assertThat(dataset.train().width()).isEqualTo(32);
        assertThat(dataset.train().classCounts(10)).containsOnly(TRAIN);
        assertThat(dataset.test().classCounts(10)).containsOnly(TEST);
        // Record 3 of data_batch_2.bin (salt 2) is training image 20 + 3: planar R, G, B bytes.
        byte[] pixels = dataset.train().pixels();
        assertThat(Arrays.copyOfRange(pixels, 23 * 3072, 24 * 3072)).isEqualTo(CifarFixtures.pixels(3, 2));
        assertThat(dataset.train().label(23)).isEqualTo(CifarFixtures.label(CifarVariant.CIFAR10, 3, 2));
        assertThat(dataset.test().label(7)).isEqualTo(CifarFixtures.label(CifarVariant.CIFAR10, 7, 0));
        assertThat(Arrays.copyOfRange(dataset.test().pixels(), 7 * 3072, 8 * 3072)).isEqualTo(CifarFixtures.pixels(7, 0));
        assertThat(dataset.mean()).containsExactly(0.4914f, 0.4822f, 0.4465f);
        assertThat(dataset.std()).containsExactly(0.2023f, 0.1994f, 0.2010f);
        assertThat(dataset.identity()).containsEntry("train_records", "100").containsEntry("test_records", "40")
                .containsEntry("normalization", "published")
                .containsKeys("data_batch_1.bin", "data_batch_5.bin", "test_batch.bin");
    }

    // --- local copies: data.path, no network ---------------------------------------------------

    @Test
    void readsTheExtractedFolderInDataPathWithoutTheNetwork() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path folder = CifarFixtures.writeFolder(CifarVariant.CIFAR10, data, TRAIN, TEST, false);

        ImageDataset dataset = load10(data);

        assertIsTheGeneratedCifar10(dataset);
        assertThat(dataset.identity()).containsEntry("directory", folder.toString());
        assertThat(dataset.identity().get("data_batch_3.bin"))
                .isEqualTo(Sha256.hex(Files.readAllBytes(folder.resolve("data_batch_3.bin"))));
        assertThat(server.requests()).isEmpty();
        assertThat(cache).doesNotExist();

        // data.path may also name the folder itself
        assertThat(load10(folder).identity()).containsEntry("directory", folder.toString());
    }

    @Test
    void readsTheArchiveInDataPathWithoutExtractingIt() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path archive = Files.write(data.resolve("cifar-10-binary.tar.gz"), archive10);

        ImageDataset dataset = load10(data);

        assertIsTheGeneratedCifar10(dataset);
        assertThat(dataset.identity()).containsEntry("archive", archive.toString())
                .containsEntry("archive_md5", CifarFixtures.md5(archive10))
                .containsEntry("archive_sha256", Sha256.hex(archive10));
        assertThat(tree(data)).containsExactly("cifar-10-binary.tar.gz");
        assertThat(server.requests()).isEmpty();
        // ... or named directly
        assertThat(load10(archive).train().size()).isEqualTo(100);
    }

    @Test
    void anArchiveInDataPathMustHaveThePublishedChecksum() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path archive = Files.write(data.resolve("cifar-10-binary.tar.gz"), archive10);

        assertThatThrownBy(() -> factory(CifarVariant.CIFAR10).load(TestSettings.dataset("cifar10", ""),
                new DatasetContext(data, cache, 1)))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(archive + " has MD5 " + CifarFixtures.md5(archive10)
                        + " but the published checksum is c32a1d4ab5d03f1284b67883e8d87530");
    }

    @Test
    void dataPathWithoutTheFilesNeverDownloads() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));

        assertThatThrownBy(() -> load10(data))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("CIFAR-10 files not found in data.path " + data)
                .hasMessageContaining("cifar-10-batches-bin with data_batch_1.bin, data_batch_2.bin")
                .hasMessageContaining("download " + server.base() + "cifar-10-binary.tar.gz into it")
                .hasMessageContaining("lpl data fetch cifar10")
                .hasMessageContaining("  " + data.resolve("cifar-10-batches-bin") + ": no such directory");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void thePythonPickleVersionIsRefusedNamingTheBinaryOne() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path pickled = Files.createDirectories(data.resolve("cifar-10-batches-py"));
        Files.writeString(pickled.resolve("data_batch_1"), "pickle");
        String needed = "is the Python (pickle) version of CIFAR-10 (torchvision's download), which lpl does not read:"
                + " lpl needs the binary version, cifar-10-binary.tar.gz (folder cifar-10-batches-bin), from "
                + server.base() + "cifar-10-binary.tar.gz";
        for (Path dataPath : List.of(data, pickled)) {
            assertThatThrownBy(() -> load10(dataPath))
                    .isInstanceOf(LplException.class)
                    .hasMessageStartingWith(pickled + " " + needed)
                    .hasMessageEndingWith(": download it into " + data + " (no need to extract), or unset data.path"
                            + " and run lpl data fetch cifar10");
        }
        TarGz.deleteRecursively(pickled);
        Path archive = Files.writeString(data.resolve("cifar-10-python.tar.gz"), "a pickle archive");
        for (Path dataPath : List.of(data, archive)) {
            assertThatThrownBy(() -> load10(dataPath)).hasMessageStartingWith(archive + " " + needed);
        }
        Files.createDirectories(cache.resolve("cifar-100-python"));
        Settings noDownload = settings("cifar100", "03b5dce01913d631647c71ecec9e9cb8", false);
        assertThatThrownBy(() -> factory(CifarVariant.CIFAR100).load(noDownload, new DatasetContext(null, cache, 1)))
                .hasMessage(cache.resolve("cifar-100-python") + " is the Python (pickle) version of CIFAR-100"
                        + " (torchvision's download), which lpl does not read: lpl needs the binary version,"
                        + " cifar-100-binary.tar.gz (folder cifar-100-binary), from " + server.base()
                        + "cifar-100-binary.tar.gz (see https://www.cs.toronto.edu/~kriz/cifar.html): download it into "
                        + cache.toAbsolutePath() + " (no need to extract), or run lpl data fetch cifar100");
        assertThat(server.requests()).isEmpty();
    }

    // --- the cache and downloads -----------------------------------------------------------------

    @Test
    void downloadsIntoTheCacheExtractsAndReadsThenUsesTheCache() throws IOException {
        ImageDataset dataset = load10(null);

        assertIsTheGeneratedCifar10(dataset);
        Path folder = cache.resolve("cifar-10-batches-bin").toAbsolutePath();
        assertThat(dataset.identity()).containsEntry("directory", folder.toString());
        assertThat(server.requests()).containsExactly("GET /cifar-10-binary.tar.gz");
        assertThat(tree(cache)).contains("cifar-10-binary.tar.gz", "cifar-10-batches-bin/data_batch_1.bin",
                "cifar-10-batches-bin/test_batch.bin", "cifar-10-batches-bin/batches.meta.txt")
                .noneMatch(name -> name.contains(".extract-") || name.endsWith(".part"));

        ImageDataset again = load10(null);
        assertThat(again.identity()).isEqualTo(dataset.identity());
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void fetchResumesAPartialDownload() throws IOException {
        Files.createDirectories(cache);
        int half = archive10.length / 2;
        Files.write(cache.resolve("cifar-10-binary.tar.gz.part"), Arrays.copyOf(archive10, half));
        DownloadableDataset factory = factory(CifarVariant.CIFAR10);

        DownloadableDataset.Fetched fetched = factory.fetch(cifar10(), cache, DownloadProgress.none());

        assertThat(server.requests()).containsExactly("GET /cifar-10-binary.tar.gz bytes=" + half + "-");
        assertThat(fetched.directory()).isEqualTo(cache.resolve("cifar-10-batches-bin").toAbsolutePath());
        assertThat(fetched.downloaded()).containsEntry("cifar-10-binary.tar.gz", Sha256.hex(archive10));
        assertThat(Files.readAllBytes(cache.resolve("cifar-10-binary.tar.gz"))).isEqualTo(archive10);
        assertThat(load10(null).train().size()).isEqualTo(100);

        // Fetching again finds everything in place.
        assertThat(factory.fetch(cifar10(), cache, DownloadProgress.none()).downloaded()).isEmpty();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aChecksumMismatchRemovesTheDownloadAndSaysSo() {
        Settings published = settings("cifar10", CifarVariant.CIFAR10.publishedMd5(), true);

        assertThatThrownBy(() -> factory(CifarVariant.CIFAR10).load(published, new DatasetContext(null, cache, 1)))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("has MD5 " + CifarFixtures.md5(archive10))
                .hasMessageContaining("but the published checksum is c32a1d4ab5d03f1284b67883e8d87530")
                .hasMessageContaining("was deleted");
        assertThat(cache.resolve("cifar-10-binary.tar.gz")).doesNotExist();
        assertThat(cache.resolve("cifar-10-binary.tar.gz.part")).doesNotExist();
        assertThat(cache.resolve("cifar-10-batches-bin")).doesNotExist();
    }

    @Test
    void aTruncatedArchiveIsNamedAndNothingIsExtracted() throws IOException {
        byte[] truncated = Arrays.copyOf(archive10, archive10.length - 2000);
        server.serve("/cifar-10-binary.tar.gz", truncated); // published checksum = that of the bad file
        Path archive = cache.resolve("cifar-10-binary.tar.gz").toAbsolutePath();

        assertThatThrownBy(() -> factory(CifarVariant.CIFAR10).load(settings("cifar10", CifarFixtures.md5(truncated), true),
                new DatasetContext(null, cache, 1)))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(archive.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("lpl data fetch cifar10");
        assertThat(tree(cache)).doesNotContain("cifar-10-batches-bin")
                .noneMatch(name -> name.startsWith(".extract-"));
    }

    @Test
    void anArchiveInTheCacheIsCheckedBeforeItIsExtracted() throws IOException {
        Files.createDirectories(cache);
        Path archive = Files.write(cache.resolve("cifar-10-binary.tar.gz"), Arrays.copyOf(archive10, 3000));

        assertThatThrownBy(() -> factory(CifarVariant.CIFAR10).load(settings("cifar10", CifarFixtures.md5(archive10), false),
                new DatasetContext(null, cache, 1)))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(archive.toAbsolutePath() + " has MD5 ")
                .hasMessageContaining("delete it and run lpl data fetch cifar10");

        // With downloads allowed, the bad copy is replaced.
        ImageDataset dataset = load10(null);
        assertThat(dataset.train().size()).isEqualTo(100);
        assertThat(Files.readAllBytes(archive)).isEqualTo(archive10);
    }

    @Test
    void downloadFalseWithNoFilesTellsHowToFetch() {
        Settings noDownload = settings("cifar10", CifarFixtures.md5(archive10), false);

        assertThatThrownBy(() -> factory(CifarVariant.CIFAR10).load(noDownload, new DatasetContext(null, cache, 1)))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("CIFAR-10 not found in the dataset cache " + cache.toAbsolutePath())
                .hasMessageContaining("data.cifar10.download = false")
                .hasMessageContaining("run lpl data fetch cifar10")
                .hasMessageContaining("set data.cifar10.download = true")
                .hasMessageContaining("download " + server.base() + "cifar-10-binary.tar.gz by hand into")
                .hasMessageContaining("set data.path");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anHttpErrorIsReportedWithTheManualFix() {
        server.fail("/cifar-10-binary.tar.gz", 503);

        assertThatThrownBy(() -> load10(null))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("download of " + server.base() + "cifar-10-binary.tar.gz failed: HTTP 503")
                .hasMessageContaining("put it into " + cache.toAbsolutePath())
                .hasMessageContaining("set data.path");
    }

    // --- malformed files ------------------------------------------------------------------------

    @Test
    void aBinFileThatIsNotAWholeNumberOfRecordsIsNamed() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path folder = CifarFixtures.writeFolder(CifarVariant.CIFAR10, data, TRAIN, TEST, false);
        Path file = folder.resolve("data_batch_4.bin");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));

        assertThatThrownBy(() -> load10(data))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(file + " is truncated or not a CIFAR-10 binary file: its " + (bytes.length - 100)
                        + " bytes are not a whole number of 3073-byte records (1 label byte + 3072 pixel bytes)")
                .hasMessageContaining("lpl data fetch cifar10");
    }

    @Test
    void cifar100RecordsHaveTwoLabelBytesAndTheFineLabelIsTheClass() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        CifarFixtures.writeFolder(CifarVariant.CIFAR100, data, 5, 1, false);

        ImageDataset dataset = factory(CifarVariant.CIFAR100).load(
                settings("cifar100", CifarVariant.CIFAR100.publishedMd5(), false), new DatasetContext(data, cache, 1));

        assertThat(dataset.numClasses()).isEqualTo(100);
        assertThat(dataset.classNames().get(0)).isEqualTo("apple");
        assertThat(dataset.classNames().get(99)).isEqualTo("worm");
        assertThat(dataset.train().size()).isEqualTo(500);
        assertThat(dataset.test().size()).isEqualTo(100);
        assertThat(dataset.train().classCounts(100)).containsOnly(5);
        assertThat(dataset.train().label(42)).isEqualTo(CifarFixtures.label(CifarVariant.CIFAR100, 42, 1));
        assertThat(Arrays.copyOfRange(dataset.train().pixels(), 42 * 3072, 43 * 3072)).isEqualTo(CifarFixtures.pixels(42, 1));
        assertThat(dataset.mean()).containsExactly(0.5071f, 0.4865f, 0.4409f);

        // A CIFAR-10 file (3073-byte records) is not a CIFAR-100 file.
        Path train = data.resolve("cifar-100-binary/train.bin");
        Files.write(train, CifarFixtures.records(CifarVariant.CIFAR10, 3074, 0, true)); // 3074 x 3073 bytes
        Files.write(train, Arrays.copyOf(Files.readAllBytes(train), 3073 * 3));
        assertThatThrownBy(() -> factory(CifarVariant.CIFAR100).load(
                settings("cifar100", CifarVariant.CIFAR100.publishedMd5(), false), new DatasetContext(data, cache, 1)))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(train + " is truncated or not a CIFAR-100 binary file: its 9219 bytes are not"
                        + " a whole number of 3074-byte records (2 label bytes (coarse, fine) + 3072 pixel bytes)");
    }

    @Test
    void labelsOutOfRangeAreNamedWithTheRecord() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path folder = CifarFixtures.writeFolder(CifarVariant.CIFAR10, data, TRAIN, TEST, false);
        Path file = folder.resolve("test_batch.bin");
        byte[] bytes = Files.readAllBytes(file);
        bytes[5 * 3073] = 10;
        Files.write(file, bytes);

        assertThatThrownBy(() -> load10(data))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(file + " has label 10 in record 5, outside 0..9: it is not a CIFAR-10 binary file");

        Path folder100 = CifarFixtures.writeFolder(CifarVariant.CIFAR100, data, 5, 1, true);
        Path train = folder100.resolve("train.bin");
        byte[] records = Files.readAllBytes(train);
        records[2 * 3074] = 20; // coarse label of record 2
        Files.write(train, records);
        assertThatThrownBy(() -> factory(CifarVariant.CIFAR100).load(
                settings("cifar100", CifarVariant.CIFAR100.publishedMd5(), false), new DatasetContext(data, cache, 1)))
                .hasMessageStartingWith(train + " has coarse label 20 in record 2, outside 0..19");
    }

    @Test
    void anEmptyFileAndAWrongNamesFileAreNamed() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path folder = CifarFixtures.writeFolder(CifarVariant.CIFAR10, data, TRAIN, TEST, false);
        Files.write(folder.resolve("batches.meta.txt"), "cat\ndog\n".getBytes());
        assertThatThrownBy(() -> load10(data))
                .hasMessageStartingWith(folder.resolve("batches.meta.txt") + " lists 2 class names, expected 10");

        Files.delete(folder.resolve("batches.meta.txt"));
        assertThat(load10(data).classNames()).hasSize(10); // the built-in names
        Files.write(folder.resolve("data_batch_1.bin"), new byte[0]);
        assertThatThrownBy(() -> load10(data))
                .hasMessageStartingWith(folder.resolve("data_batch_1.bin") + " is empty: it is not a CIFAR-10 binary file");
    }

    @Test
    void computedNormalisationUsesTheTrainingPixels() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        CifarFixtures.writeFolder(CifarVariant.CIFAR10, data, TRAIN, TEST, false);

        ImageDataset dataset = factory(CifarVariant.CIFAR10).load(
                TestSettings.dataset("cifar10", "normalization = computed"), new DatasetContext(data, cache, 1));

        double sum = 0;
        byte[] pixels = dataset.train().pixels();
        for (int i = 0; i < dataset.train().size(); i++) {
            for (int k = 0; k < 1024; k++) {
                sum += (pixels[i * 3072 + k] & 0xff) / 255.0;
            }
        }
        assertThat((double) dataset.mean()[0]).isCloseTo(sum / (dataset.train().size() * 1024), within(1e-5));
        assertThat(dataset.identity()).containsEntry("normalization", "computed");
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> factory(CifarVariant.CIFAR10).load(TestSettings.dataset("cifar10", "md5 = xyz"),
                new DatasetContext(null, cache, 1)))
                .hasMessage("invalid configuration value data.cifar10.md5: 'xyz' is not an MD5 checksum (32 hexadecimal digits)");
        assertThatThrownBy(() -> factory(CifarVariant.CIFAR10).load(TestSettings.dataset("cifar10", "url = \"ftp://x/\""),
                new DatasetContext(null, cache, 1)))
                .hasMessage("invalid configuration value data.cifar10.url: 'ftp://x/' is not an http(s) URL");
        assertThatThrownBy(() -> factory(CifarVariant.CIFAR10).load(TestSettings.dataset("cifar10", "normalization = mine"),
                new DatasetContext(null, cache, 1)))
                .hasMessageStartingWith("invalid configuration value data.cifar10.normalization: 'mine' is not allowed");
    }
}
