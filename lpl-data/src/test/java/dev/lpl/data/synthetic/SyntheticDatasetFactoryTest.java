package dev.lpl.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.LplException;
import dev.lpl.api.data.DatasetContext;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.data.ImageSet;
import dev.lpl.data.Sha256;
import dev.lpl.data.TestSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyntheticDatasetFactoryTest {

    private static final int PIXELS = 28 * 28;

    @TempDir
    Path cache;

    private ImageDataset load(String overrides, long seed) {
        return new SyntheticDatasetFactory().load(
                TestSettings.dataset("synthetic", overrides), new DatasetContext(null, cache, seed));
    }

    @Test
    void defaultsGiveTheExponentialLongTailAndABalancedTestSet() {
        long start = System.nanoTime();
        ImageDataset data = load("", 42);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(data.name()).isEqualTo("synthetic");
        assertThat(data.classNames()).containsExactly("disc", "ring", "square", "square-outline",
                "plus", "x-cross", "horizontal-bars", "vertical-bars", "triangle", "two-dots");
        assertThat(data.train().classCounts(10))
                .containsExactly(1000, 599, 359, 215, 129, 77, 46, 27, 16, 10);
        assertThat(data.train().size()).isEqualTo(2478);
        assertThat(data.test().classCounts(10)).containsOnly(200);
        for (ImageSet set : new ImageSet[] {data.train(), data.test()}) {
            assertThat(set.channels()).isEqualTo(1);
            assertThat(set.height()).isEqualTo(28);
            assertThat(set.width()).isEqualTo(28);
            assertThat(set.pixels()).hasSize(set.size() * PIXELS);
        }
        assertThat(millis).as("generation time in ms").isLessThan(10_000);
    }

    @Test
    void trainCountsFollowTheFormula() {
        for (int nMax : new int[] {1, 7, 100, 1000, 5000}) {
            for (double rho : new double[] {1, 2, 10, 50, 100}) {
                SyntheticSettings s = new SyntheticSettings(nMax, 1, rho, 0, 0, 0, 0, 0.5);
                for (int c = 0; c < 10; c++) {
                    int expected = (int) Math.floor(nMax * Math.pow(rho, -c / 9.0) + 1e-9);
                    assertThat(s.trainCount(c, 10)).as("n_max %d, rho %s, class %d", nMax, rho, c)
                            .isEqualTo(expected);
                }
            }
        }
        SyntheticSettings cifar = new SyntheticSettings(5000, 1, 100, 0, 0, 0, 0, 0.5);
        int[] counts = new int[10];
        for (int c = 0; c < 10; c++) {
            counts[c] = cifar.trainCount(c, 10);
        }
        assertThat(counts).containsExactly(5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50);
        assertThat(Arrays.stream(counts).sum()).isEqualTo(12_406);
    }

    @Test
    void imbalanceRatioOneIsBalanced() {
        ImageDataset data = load("train-per-class = 30, test-per-class = 5, imbalance-ratio = 1", 1);

        assertThat(data.train().classCounts(10)).containsOnly(30);
        assertThat(data.test().classCounts(10)).containsOnly(5);
    }

    @Test
    void labelsAreStoredClassByClass() {
        ImageDataset data = load("train-per-class = 4, test-per-class = 3, imbalance-ratio = 1", 1);

        for (int i = 0; i < data.train().size(); i++) {
            assertThat(data.train().label(i)).isEqualTo(i / 4);
        }
        for (int i = 0; i < data.test().size(); i++) {
            assertThat(data.test().label(i)).isEqualTo(i / 3);
        }
    }

    @Test
    void theSameSeedGivesTheSameBytes() {
        ImageDataset a = load("", 7);
        ImageDataset b = load("", 7);

        assertThat(a.train().pixels()).isEqualTo(b.train().pixels());
        assertThat(a.train().labels()).isEqualTo(b.train().labels());
        assertThat(a.test().pixels()).isEqualTo(b.test().pixels());
        assertThat(a.identity()).isEqualTo(b.identity());
        assertThat(a.mean()).isEqualTo(b.mean());
        assertThat(a.std()).isEqualTo(b.std());
    }

    @Test
    void anotherSeedGivesOtherBytes() {
        ImageDataset a = load("", 7);
        ImageDataset b = load("", 8);

        assertThat(a.train().pixels()).isNotEqualTo(b.train().pixels());
        assertThat(a.test().pixels()).isNotEqualTo(b.test().pixels());
        assertThat(a.identity().get("train-pixels-sha256"))
                .isNotEqualTo(b.identity().get("train-pixels-sha256"));
    }

    @Test
    void trainAndTestAreDifferentImages() {
        ImageDataset data = load("train-per-class = 20, test-per-class = 20, imbalance-ratio = 1", 3);

        assertThat(data.train().pixels()).isNotEqualTo(data.test().pixels());
    }

    @Test
    void aSmallerSetKeepsTheFirstSamplesOfALargerOne() {
        ImageDataset large = load("train-per-class = 40, imbalance-ratio = 1, test-per-class = 6", 5);
        ImageDataset small = load("train-per-class = 40, imbalance-ratio = 10, test-per-class = 3", 5);

        int offsetLarge = 0;
        int offsetSmall = 0;
        long[] counts = small.train().classCounts(10);
        for (int c = 0; c < 10; c++) {
            int n = (int) counts[c];
            assertThat(Arrays.copyOfRange(small.train().pixels(), offsetSmall * PIXELS, (offsetSmall + n) * PIXELS))
                    .as("class %d", c)
                    .isEqualTo(Arrays.copyOfRange(large.train().pixels(), offsetLarge * PIXELS, (offsetLarge + n) * PIXELS));
            offsetSmall += n;
            offsetLarge += 40;
            assertThat(Arrays.copyOfRange(small.test().pixels(), c * 3 * PIXELS, (c * 3 + 3) * PIXELS))
                    .isEqualTo(Arrays.copyOfRange(large.test().pixels(), c * 6 * PIXELS, (c * 6 + 3) * PIXELS));
        }
    }

    @Test
    void classTemplatesDifferBeyondSamplingNoise() {
        // With position jitter the two bar classes blur into the same mean square (they differ in
        // orientation, which a template cannot see), so compare the templates without jitter.
        int n = 400;
        ImageSet test = load("jitter = 0, test-per-class = " + n + ", train-per-class = 1, imbalance-ratio = 1", 11).test();
        double[][] means = classMeans(test);
        double[][] even = new double[10][PIXELS];
        double[][] odd = new double[10][PIXELS];
        for (int i = 0; i < test.size(); i++) {
            double[] half = (i % 2 == 0 ? even : odd)[test.label(i)];
            for (int p = 0; p < PIXELS; p++) {
                half[p] += (test.pixels()[i * PIXELS + p] & 0xff) / (n / 2.0);
            }
        }
        double noiseFloor = 0;
        for (int c = 0; c < 10; c++) {
            noiseFloor = Math.max(noiseFloor, rms(even[c], odd[c]));
        }

        for (int a = 0; a < 10; a++) {
            for (int b = a + 1; b < 10; b++) {
                assertThat(rms(means[a], means[b])).as("classes %d and %d", a, b)
                        .isGreaterThan(1.4 * noiseFloor);
            }
        }
    }

    @Test
    void samplesOfAClassVary() {
        ImageSet test = load("", 11).test();
        double[][] means = classMeans(test);

        for (int c = 0; c < 10; c++) {
            double spread = 0;
            for (int k = 0; k < 200; k++) {
                spread += rms(image(test, c * 200 + k), means[c]) / 200;
            }
            assertThat(spread).as("class %d", c).isGreaterThan(20);
        }
    }

    @Test
    void classesAreLearnableButNotByATemplate() {
        ImageDataset data = load("imbalance-ratio = 1, train-per-class = 300", 13);
        double[][] means = classMeans(data.train());
        ImageSet test = data.test();

        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            double[] x = image(test, i);
            int best = 0;
            for (int c = 1; c < 10; c++) {
                if (rms(x, means[c]) < rms(x, means[best])) {
                    best = c;
                }
            }
            correct += best == test.label(i) ? 1 : 0;
        }
        double accuracy = (double) correct / test.size();
        // nearest class mean: far above chance (0.1), far below what a small CNN reaches
        assertThat(accuracy).isBetween(0.2, 0.6);
    }

    @Test
    void noiseRoughensTheImages() {
        String shape = "train-per-class = 20, test-per-class = 1, imbalance-ratio = 1, distractor = 0, ";
        double clean = roughness(load(shape + "noise = 0", 2).train());
        double noisy = roughness(load(shape + "noise = 0.3", 2).train());

        assertThat(clean).isLessThan(10);
        assertThat(noisy).isGreaterThan(3 * clean);
    }

    @Test
    void normalisationIsComputedFromTheTrainingPixels() {
        ImageDataset data = load("", 4);
        byte[] pixels = data.train().pixels();
        double sum = 0;
        for (byte p : pixels) {
            sum += (p & 0xff) / 255.0;
        }
        double mean = sum / pixels.length;
        double squares = 0;
        for (byte p : pixels) {
            double d = (p & 0xff) / 255.0 - mean;
            squares += d * d;
        }

        assertThat(data.mean()).hasSize(1);
        assertThat((double) data.mean()[0]).isCloseTo(mean, within(1e-6));
        assertThat((double) data.std()[0]).isCloseTo(Math.sqrt(squares / pixels.length), within(1e-6));
        assertThat(data.mean()[0]).isBetween(0.1f, 0.5f);
    }

    @Test
    void identityNamesGeneratorSeedSettingsAndPixelDigests() {
        ImageDataset data = load("noise = 0.2, imbalance-ratio = 10", -3);
        Map<String, String> id = data.identity();

        assertThat(id).containsEntry("generator", "lpl-synthetic-shapes")
                .containsEntry("generator-version", SyntheticDatasetFactory.GENERATOR_VERSION)
                .containsEntry("seed", "-3")
                .containsEntry("train-per-class", "1000")
                .containsEntry("test-per-class", "200")
                .containsEntry("imbalance-ratio", "10")
                .containsEntry("noise", "0.2")
                .containsEntry("jitter", "4")
                .containsEntry("rotation", "15")
                .containsEntry("distractor", "0.5")
                .containsEntry("min-contrast", "0.35")
                .containsEntry("train-size", Integer.toString(data.train().size()))
                .containsEntry("train-pixels-sha256", Sha256.hex(data.train().pixels()))
                .containsEntry("test-pixels-sha256", Sha256.hex(data.test().pixels()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "train-per-class = 0        | data.synthetic.train-per-class",
        "test-per-class = -1        | data.synthetic.test-per-class",
        "train-per-class = 1000000  | data.synthetic.train-per-class",
        "imbalance-ratio = 0.5      | data.synthetic.imbalance-ratio",
        "imbalance-ratio = 2000     | data.synthetic.imbalance-ratio",
        "noise = -0.1               | data.synthetic.noise",
        "noise = 1.5                | data.synthetic.noise",
        "jitter = 9                 | data.synthetic.jitter",
        "rotation = 90              | data.synthetic.rotation",
        "distractor = 2             | data.synthetic.distractor",
        "min-contrast = 0           | data.synthetic.min-contrast",
        "train-per-class = many     | data.synthetic.train-per-class",
    })
    void invalidSettingsAreReportedByKey(String override, String key) {
        assertThatThrownBy(() -> load(override, 1))
                .isInstanceOf(LplException.class)
                .hasMessageContaining(key);
    }

    @Test
    void aTailClassWithoutImagesIsRejected() {
        assertThatThrownBy(() -> load("train-per-class = 50, imbalance-ratio = 100", 1))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("data.synthetic.imbalance-ratio")
                .hasMessageContaining("0 training images");
    }

    private static double[][] classMeans(ImageSet set) {
        double[][] means = new double[10][PIXELS];
        long[] counts = set.classCounts(10);
        for (int i = 0; i < set.size(); i++) {
            double[] mean = means[set.label(i)];
            for (int p = 0; p < PIXELS; p++) {
                mean[p] += (set.pixels()[i * PIXELS + p] & 0xff) / (double) counts[set.label(i)];
            }
        }
        return means;
    }

    private static double[] image(ImageSet set, int i) {
        double[] x = new double[PIXELS];
        for (int p = 0; p < PIXELS; p++) {
            x[p] = set.pixels()[i * PIXELS + p] & 0xff;
        }
        return x;
    }

    private static double rms(double[] a, double[] b) {
        double sum = 0;
        for (int p = 0; p < a.length; p++) {
            sum += (a[p] - b[p]) * (a[p] - b[p]);
        }
        return Math.sqrt(sum / a.length);
    }

    /** The mean absolute difference of horizontally adjacent pixels, in grey levels. */
    private static double roughness(ImageSet set) {
        byte[] pixels = set.pixels();
        double sum = 0;
        long n = 0;
        for (int i = 0; i < set.size(); i++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x + 1 < 28; x++) {
                    int p = i * PIXELS + y * 28 + x;
                    sum += Math.abs((pixels[p] & 0xff) - (pixels[p + 1] & 0xff));
                    n++;
                }
            }
        }
        return sum / n;
    }
}
