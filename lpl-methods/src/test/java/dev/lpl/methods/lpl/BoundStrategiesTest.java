package dev.lpl.methods.lpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.LplException;
import dev.lpl.api.perturbation.BoundStrategy;
import dev.lpl.api.perturbation.BoundStrategyFactory;
import dev.lpl.api.perturbation.ClassStatistics;
import dev.lpl.api.perturbation.Split;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BoundStrategiesTest {

    private static BoundStrategy bound(String type, String options) {
        BoundStrategyFactory factory = Fixtures.bounds().stream()
                .filter(f -> f.name().equals(type)).findFirst().orElseThrow();
        return factory.create(Fixtures.lplSettings("bound." + type + " { " + options + " }")
                .getSettings("bound").getSettings(type));
    }

    private static ClassStatistics countsOnly(long[] classCounts) {
        double[] scores = new double[classCounts.length];
        int[] batch = new int[classCounts.length];
        Arrays.fill(scores, 0.5);
        Arrays.fill(batch, 1);
        return new ClassStatistics(scores, batch, classCounts);
    }

    @Test
    void fixedGivesEveryClassEpsilon() {
        double[] bounds = bound("fixed", "epsilon = 0.25").bounds(countsOnly(new long[] {3, 2, 1}),
                new Split(new int[] {-1, 1, 1}, 1));
        assertThat(bounds).containsExactly(0.25, 0.25, 0.25);
        assertThat(bound("fixed", "").bounds(countsOnly(new long[] {3, 2}), new Split(new int[] {1, 1}, 0)))
                .containsExactly(0.1, 0.1);
    }

    @Test
    void variedBalancedNormalisesEachSideByItsLargestDistance() {
        // τ = 0.4; q = 0.1 (+, d 0.3), 0.3 (+, d 0.1), 0.8 (−, d 0.4), absent
        ClassStatistics s = new ClassStatistics(new double[] {0.1, 0.3, 0.8, Double.NaN},
                new int[] {2, 1, 1, 0}, new long[] {5, 5, 5, 5});
        Split split = new Split(new int[] {1, 1, -1, 1}, 0.4);
        double[] normalised = bound("varied-balanced", "").bounds(s, split);
        assertThat(normalised[0]).isCloseTo(0.8 + 0.08, within(1e-12));
        assertThat(normalised[1]).isCloseTo(0.8 + 0.08 / 3, within(1e-12));
        assertThat(normalised[2]).isCloseTo(0.8 + 0.08, within(1e-12));
        assertThat(normalised[3]).isCloseTo(0.8, within(1e-12));
        double[] raw = bound("varied-balanced", "normalize = false").bounds(s, split);
        assertThat(raw[0]).isCloseTo(0.8 + 0.08 * 0.3, within(1e-12));
        assertThat(raw[1]).isCloseTo(0.8 + 0.08 * 0.1, within(1e-12));
        assertThat(raw[2]).isCloseTo(0.8 + 0.08 * 0.4, within(1e-12));
        assertThat(raw[3]).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void variedBalancedCanCountAbsentClassesAsScoreZeroAsTheAuthorsCodeDoes() {
        // the batch of the test above: τ = 0.4, class 3 absent. The authors' code gives it q = 0, so
        // the positive side is divided by τ − 0 = 0.4 instead of 0.3; the negative side is unchanged
        ClassStatistics s = new ClassStatistics(new double[] {0.1, 0.3, 0.8, Double.NaN},
                new int[] {2, 1, 1, 0}, new long[] {5, 5, 5, 5});
        Split split = new Split(new int[] {1, 1, -1, 1}, 0.4);
        double[] counted = bound("varied-balanced", "count-absent-as-zero = true").bounds(s, split);
        assertThat(counted[0]).isCloseTo(0.8 + 0.08 * 0.3 / 0.4, within(1e-12));
        assertThat(counted[1]).isCloseTo(0.8 + 0.08 * 0.1 / 0.4, within(1e-12));
        assertThat(counted[2]).isCloseTo(0.8 + 0.08, within(1e-12));
        assertThat(counted[3]).isCloseTo(0.8, within(1e-12));
        // with every class present the option changes nothing
        ClassStatistics full = new ClassStatistics(new double[] {0.1, 0.3, 0.8}, new int[] {2, 1, 1}, new long[] {5, 5, 5});
        Split fullSplit = new Split(new int[] {1, 1, -1}, 0.4);
        assertThat(bound("varied-balanced", "count-absent-as-zero = true").bounds(full, fullSplit))
                .containsExactly(bound("varied-balanced", "").bounds(full, fullSplit));
    }

    @Test
    void variedBalancedGuardsAZeroLargestDistance() {
        ClassStatistics s = new ClassStatistics(new double[] {0.6, 0.6}, new int[] {1, 1}, new long[] {1, 1});
        double[] bounds = new VariedBalancedBound(0.5, 1.0, true).bounds(s, new Split(new int[] {-1, -1}, 0.6));
        assertThat(bounds).containsExactly(0.5, 0.5);
    }

    @Test
    void variedBalancedNeedsAScoreThreshold() {
        assertThatThrownBy(() -> new VariedBalancedBound(0.5, 1.0, true)
                .bounds(countsOnly(new long[] {1, 1}), new Split(new int[] {1, 1}, Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("varied-balanced");
    }

    @Test
    void variedLongtailOnCifar10LtByHand() {
        Split split = new Split(new int[] {-1, -1, -1, -1, 1, 1, 1, 1, 1, 1}, 4);
        double[] bounds = bound("varied-longtail", "").bounds(countsOnly(Fixtures.CIFAR10_LT), split);
        double[] expected = {
            0.9, 0.9 * 2997 / 5000, 0.9 * 1796 / 5000, 0.9 * 1077 / 5000,
            1.5 * 50 / 645, 1.5 * 50 / 387, 1.5 * 50 / 232, 1.5 * 50 / 139, 1.5 * 50 / 83, 1.5,
        };
        for (int c = 0; c < 10; c++) {
            assertThat(bounds[c]).as("class %d", c).isCloseTo(expected[c], within(1e-12));
        }
        assertThat(bounds[1]).isCloseTo(0.53946, within(1e-12));
        assertThat(bounds[4]).isCloseTo(0.11627907, within(1e-8));
        // K_c = ⌊ε_c / 0.15⌋: 0.9/0.15 = 6, 0.53946/0.15 = 3.6, 0.32328/0.15 = 2.2, 0.19386/0.15 = 1.3,
        // 0.1163/0.15 = 0.78, 0.1938/0.15 = 1.3, 0.3233/0.15 = 2.2, 0.5396/0.15 = 3.6, 0.9036/0.15 = 6.02,
        // 1.5/0.15 = 10
        int[] steps = new int[10];
        for (int c = 0; c < 10; c++) {
            steps[c] = PgdOptimizer.steps(bounds[c], 0.15);
        }
        assertThat(steps).containsExactly(6, 3, 2, 1, 0, 1, 2, 3, 6, 10);
    }

    @Test
    void variedLongtailDeltaEpsilonSetsBothSides() {
        Split split = new Split(new int[] {-1, 1, 1}, 1);
        double[] bounds = bound("varied-longtail", "epsilon = 0.1, delta-epsilon = 0.5")
                .bounds(countsOnly(new long[] {100, 40, 10}), split);
        assertThat(bounds[0]).isCloseTo(0.1 + 0.5, within(1e-12));
        assertThat(bounds[1]).isCloseTo(0.1 + 0.5 * 10 / 40, within(1e-12));
        assertThat(bounds[2]).isCloseTo(0.1 + 0.5, within(1e-12));
    }

    @Test
    void variedLongtailCifar100LtStepsForAlphaOneHundredth() {
        long[] counts = Fixtures.longTail(100, 500, 100);
        assertThat(counts[0]).isEqualTo(500);
        assertThat(counts[99]).isEqualTo(5);
        int[] signs = new int[100];
        for (int c = 0; c < 100; c++) {
            signs[c] = c < 40 ? -1 : 1;
        }
        double[] bounds = new VariedLongtailBound(0, 0.08, 0.4).bounds(countsOnly(counts), new Split(signs, 40));
        assertThat(PgdOptimizer.steps(bounds[0], 0.01)).isEqualTo(8);
        assertThat(PgdOptimizer.steps(bounds[99], 0.01)).isEqualTo(40);
        // class 39: 0.08·n_39/500 with n_39 = ⌊500·100^(−39/99)⌋
        long n39 = (long) Math.floor(500 * Math.pow(100, -39 / 99.0));
        assertThat(PgdOptimizer.steps(bounds[39], 0.01)).isEqualTo((int) Math.floor(8.0 * n39 / 500 + 1e-9));
    }

    @Test
    void negativeBoundsAreConfigurationErrorsNamingTheKeyAndRange() {
        assertThatThrownBy(() -> bound("fixed", "epsilon = -0.1"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.bound.fixed.epsilon")
                .hasMessageContaining("allowed: [0.0, Infinity]");
        assertThatThrownBy(() -> bound("varied-balanced", "delta-epsilon = -1"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.bound.varied-balanced.delta-epsilon");
        assertThatThrownBy(() -> bound("varied-longtail", "delta-epsilon-tail = -1"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.bound.varied-longtail.delta-epsilon-tail");
        assertThatThrownBy(() -> bound("varied-longtail", "delta-epsilon = -2"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.bound.varied-longtail.delta-epsilon:");
        assertThatThrownBy(() -> new FixedBound(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
