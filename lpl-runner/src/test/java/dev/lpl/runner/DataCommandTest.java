package dev.lpl.runner;

import static dev.lpl.runner.CommandLineTest.lpl;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.core.data.LongTail;
import dev.lpl.data.cifar.CifarVariant;
import dev.lpl.data.testing.CifarFixtures;
import dev.lpl.data.testing.LocalServer;
import dev.lpl.runner.CommandLineTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {

    @TempDir
    Path temp;

    @Test
    void describeShowsTheSyntheticClassCountsImbalanceAndShotGroups() {
        Result r = lpl("data", "describe");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("dataset        synthetic: 10 classes, images 1x28x28")
                .contains("training set   2478 images (all of it)")
                .contains("test set       2000 images")
                .contains("imbalance      n_max/n_min = 1000/10 = 100.00")
                .contains("shot groups    many 5 classes (2302 images), medium 3 classes (150 images),"
                        + " few 2 classes (26 images)")
                .containsPattern("(?m)^\\s+0  disc\\s+1000\\s+200  many$")
                .containsPattern("(?m)^\\s+5  \\S+\\s+77\\s+200  medium$")
                .containsPattern("(?m)^\\s+9  \\S+\\s+10\\s+200  few$")
                .contains("identity");
    }

    @Test
    void describeAppliesTheLongTailOfTheConfigurationToCifarFiles() {
        CifarFixtures.writeFolder(CifarVariant.CIFAR10, temp, 50, 3, true);
        long[] expected = new LongTail(LongTail.Profile.EXPONENTIAL, 10).targetCounts(10, 50);

        Result r = lpl("data", "describe", "--set", "data.type=cifar10", "--set", "data.path=\"" + temp + "\"",
                "--set", "data.long-tail.profile=exponential", "--set", "data.long-tail.ratio=10");

        assertThat(r.code()).as(r.err()).isZero();
        long total = Arrays.stream(expected).sum();
        assertThat(r.out()).contains("dataset        cifar10: 10 classes, images 3x32x32")
                .contains("training set   " + total + " images (long-tail exponential ratio 10.0, sampled from 500)")
                .contains("test set       30 images")
                .contains("imbalance      n_max/n_min = 50/5 = 10.00")
                .containsPattern("(?m)^\\s+0  airplane\\s+50\\s+3  medium$")
                .containsPattern("(?m)^\\s+9  truck\\s+5\\s+3  few$")
                .contains("indices sha256 ")
                .contains("  directory: " + temp.resolve("cifar-10-batches-bin"));
    }

    @Test
    void describeTakesABundledExperimentPresetAndItsSetOverrides() {
        CifarFixtures.writeFolder(CifarVariant.CIFAR10, temp, 50, 3, true);
        long[] expected = new LongTail(LongTail.Profile.EXPONENTIAL, 10).targetCounts(10, 50);

        // the preset sets data.type = cifar10 and the exponential profile at ratio 100; --set changes the ratio
        Result r = lpl("data", "describe", "-c", "cifar10-lt-r100-ce", "--set", "data.path=\"" + temp + "\"",
                "--set", "data.long-tail.ratio=10");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("dataset        cifar10: 10 classes, images 3x32x32")
                .contains("training set   " + Arrays.stream(expected).sum()
                        + " images (long-tail exponential ratio 10.0, sampled from 500)")
                .contains("imbalance      n_max/n_min = 50/5 = 10.00");
    }

    @Test
    void fetchDownloadsIntoTheCacheFromTheConfiguredUrlAndThenFindsItThere() throws Exception {
        byte[] archive = CifarFixtures.archive(CifarVariant.CIFAR10, 5, 2);
        Path cache = temp.resolve("cache");
        try (LocalServer server = LocalServer.start().serve("/cifar-10-binary.tar.gz", archive)) {
            String[] args = {"data", "fetch", "cifar10", "--progress", "lines",
                "--set", "data.cache-dir=\"" + cache + "\"",
                "--set", "data.cifar10.url=\"" + server.base() + "\"",
                "--set", "data.cifar10.md5=" + CifarFixtures.md5(archive)};

            Result first = lpl(args);

            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.out()).startsWith("cifar10: downloaded into " + cache.resolve("cifar-10-batches-bin"))
                    .contains("downloaded cifar-10-binary.tar.gz  sha256 ")
                    .contains("50 training and 20 test images, 10 classes, 3x32x32");
            assertThat(first.err()).contains("downloading cifar-10-binary.tar.gz")
                    .contains("extracting " + cache.resolve("cifar-10-binary.tar.gz"));
            assertThat(Files.isRegularFile(cache.resolve("cifar-10-batches-bin/data_batch_5.bin"))).isTrue();

            Result second = lpl(args);
            assertThat(second.code()).isZero();
            assertThat(second.out()).startsWith("cifar10: already present in " + cache.resolve("cifar-10-batches-bin"));
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void fetchTakesABundledExperimentPresetAndItsSetOverrides() throws Exception {
        byte[] archive = CifarFixtures.archive(CifarVariant.CIFAR10, 5, 2);
        Path cache = temp.resolve("cache");
        try (LocalServer server = LocalServer.start().serve("/cifar-10-binary.tar.gz", archive)) {
            Result r = lpl("data", "fetch", "cifar10", "-c", "cifar10-lt-r100-ce", "--progress", "none",
                    "--set", "data.cache-dir=\"" + cache + "\"",
                    "--set", "data.cifar10.url=\"" + server.base() + "\"",
                    "--set", "data.cifar10.md5=" + CifarFixtures.md5(archive));

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("cifar10: downloaded into " + cache.resolve("cifar-10-batches-bin"));
            assertThat(r.err()).isEmpty();
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void fetchErrorsAreOneLineWithExitTwo() throws Exception {
        byte[] archive = CifarFixtures.archive(CifarVariant.CIFAR10, 5, 2);
        try (LocalServer server = LocalServer.start().serve("/cifar-10-binary.tar.gz", archive)) {
            Result mismatch = lpl("data", "fetch", "cifar10", "--progress", "none",
                    "--set", "data.cache-dir=\"" + temp + "\"", "--set", "data.cifar10.url=\"" + server.base() + "\"");
            assertThat(mismatch.code()).isEqualTo(2);
            assertThat(mismatch.err()).startsWith("error: download of " + server.base() + "cifar-10-binary.tar.gz")
                    .contains("but the published checksum is c32a1d4ab5d03f1284b67883e8d87530")
                    .doesNotContain("at dev.lpl");
        }
        Result synthetic = lpl("data", "fetch", "synthetic");
        assertThat(synthetic.code()).isEqualTo(2);
        assertThat(synthetic.err()).startsWith("error: dataset synthetic has nothing to download")
                .contains("datasets that can be fetched: cifar10, cifar100, fashion-mnist");
        Result unknown = lpl("data", "fetch", "cifar11");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("cifar10");
    }

    @Test
    void dataHasHelp() {
        for (String[] args : new String[][] {{"data", "--help"}, {"data", "fetch", "--help"}, {"data", "describe", "--help"}}) {
            Result r = lpl(args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).startsWith("Usage: lpl " + String.join(" ", Arrays.copyOf(args, args.length - 1)));
        }
        Result bare = lpl("data");
        assertThat(bare.code()).isEqualTo(2);
        assertThat(bare.err()).contains("lpl data fetch NAME");
    }
}
