package dev.lpl.data.cifar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.api.data.DatasetContext;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.data.TestSettings;
import dev.lpl.data.testing.CifarFixtures;
import dev.lpl.core.data.LongTail;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: full-size CIFAR-format files (5000 or 500 training images per class, as the real
 * data) read by the dataset and long-tailed by the core's sampler give the sizes of the
 * literature (LDAM-DRW's imbalance_cifar.py).
 */
class CifarLongTailTest {

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} rho={1} -> {2}")
    @CsvSource({
        "CIFAR10, 100, 12406",
        "CIFAR10, 10, 20431",
        "CIFAR100, 100, 10847",
        "CIFAR100, 10, 19573"
    })
    void longTailedCifarHasTheStandardSizes(CifarVariant variant, double ratio, int expected) throws IOException {
        int perClass = 50_000 / variant.numClasses();
        CifarFixtures.writeFolder(variant, temp, perClass, 1, true);
        ImageDataset dataset = new CifarDatasetFactory(variant).load(
                TestSettings.dataset(variant.datasetName(), "download = false"), new DatasetContext(temp, temp, 1));
        assertThat(dataset.train().size()).isEqualTo(50_000);
        assertThat(dataset.train().classCounts(variant.numClasses())).containsOnly((long) perClass);

        LongTail longTail = new LongTail(LongTail.Profile.EXPONENTIAL, ratio);
        int[] kept = longTail.sample(dataset.train().labels(), variant.numClasses(), 42);

        assertThat(kept).hasSize(expected);
        assertThat(IntStream.of(kept).distinct().count()).isEqualTo(expected);
        long[] counts = dataset.train().subset(kept).classCounts(variant.numClasses());
        assertThat(counts[0]).isEqualTo(perClass);
        assertThat(counts[variant.numClasses() - 1]).isEqualTo((long) Math.floor(perClass / ratio));
        if (variant == CifarVariant.CIFAR10 && ratio == 100) {
            assertThat(counts).containsExactly(5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50);
        }
        assertThat(Arrays.stream(counts).sum()).isEqualTo(expected);
    }
}
