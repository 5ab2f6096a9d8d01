package dev.lpl.methods.lpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.LplException;
import dev.lpl.api.perturbation.ClassStatistics;
import dev.lpl.api.perturbation.Split;
import dev.lpl.api.perturbation.SplitStrategy;
import dev.lpl.api.perturbation.SplitStrategyFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SplitStrategiesTest {

    private static ClassStatistics stats(double[] scores, int[] batchCounts, long[] classCounts) {
        return new ClassStatistics(scores, batchCounts, classCounts);
    }

    private static ClassStatistics countsOnly(long[] classCounts) {
        double[] scores = new double[classCounts.length];
        int[] batch = new int[classCounts.length];
        Arrays.fill(scores, 0.5);
        Arrays.fill(batch, 1);
        return stats(scores, batch, classCounts);
    }

    private static SplitStrategy split(String type, String options) {
        SplitStrategyFactory factory = Fixtures.splits().stream()
                .filter(f -> f.name().equals(type)).findFirst().orElseThrow();
        return factory.create(Fixtures.lplSettings("split." + type + " { " + options + " }")
                .getSettings("split").getSettings(type));
    }

    @Test
    void meanThresholdIsTheMeanOverPresentClasses() {
        // q = 0.3, absent, 0.45, 0.9: τ = (0.3 + 0.45 + 0.9) / 3 = 0.55
        ClassStatistics s = stats(new double[] {0.3, Double.NaN, 0.45, 0.9}, new int[] {2, 0, 1, 3},
                new long[] {10, 10, 10, 10});
        Split split = new MeanSplit(false).split(s);
        assertThat(split.threshold()).isCloseTo(0.55, within(1e-12));
        assertThat(split.signs()).containsExactly(1, 1, 1, -1);
    }

    @Test
    void meanThresholdCanCountAbsentClassesAsZero() {
        // τ = (0.3 + 0 + 0.45 + 0.9) / 4 = 0.4125, so class 2 (0.45) becomes negative
        ClassStatistics s = stats(new double[] {0.3, Double.NaN, 0.45, 0.9}, new int[] {2, 0, 1, 3},
                new long[] {10, 10, 10, 10});
        Split split = new MeanSplit(true).split(s);
        assertThat(split.threshold()).isCloseTo(0.4125, within(1e-12));
        assertThat(split.signs()).containsExactly(1, 1, -1, -1);
        assertThat(split("mean", "count-absent-as-zero = true").split(s).signs()).containsExactly(1, 1, -1, -1);
        assertThat(split("mean", "").split(s).signs()).containsExactly(1, 1, 1, -1);
    }

    @Test
    void meanGivesMinusOneToAClassAtTheThreshold() {
        ClassStatistics single = stats(new double[] {Double.NaN, 0.7, Double.NaN}, new int[] {0, 5, 0},
                new long[] {1, 1, 1});
        Split split = new MeanSplit(false).split(single);
        assertThat(split.threshold()).isEqualTo(0.7);
        assertThat(split.sign(1)).isEqualTo(-1);
        assertThat(new MeanSplit(false).dependsOnScores()).isTrue();
    }

    @Test
    void autoTauIsRoundedFortyPercentOfTheClasses() {
        assertThat(FixedIndexSplit.autoTau(10)).isEqualTo(4);
        assertThat(FixedIndexSplit.autoTau(100)).isEqualTo(40);
        assertThat(FixedIndexSplit.autoTau(4)).isEqualTo(2);
        assertThat(FixedIndexSplit.autoTau(3)).isEqualTo(1);
        assertThat(FixedIndexSplit.autoTau(1)).isEqualTo(0);
    }

    @Test
    void fixedIndexOnCifar10LtMinimisesTheFourHeadClasses() {
        Split split = FixedIndexSplit.auto().split(countsOnly(Fixtures.CIFAR10_LT));
        assertThat(split.signs()).containsExactly(-1, -1, -1, -1, 1, 1, 1, 1, 1, 1);
        assertThat(split.threshold()).isEqualTo(4.0);
        assertThat(split("fixed-index", "tau = auto").split(countsOnly(Fixtures.CIFAR10_LT)).signs())
                .containsExactly(-1, -1, -1, -1, 1, 1, 1, 1, 1, 1);
        assertThat(FixedIndexSplit.auto().dependsOnScores()).isFalse();
    }

    @Test
    void fixedIndexOnCifar100LtMinimisesFortyHeadClasses() {
        long[] counts = Fixtures.longTail(100, 500, 100);
        int[] signs = FixedIndexSplit.auto().split(countsOnly(counts)).signs();
        for (int c = 0; c < 100; c++) {
            assertThat(signs[c]).as("class %d", c).isEqualTo(c < 40 ? -1 : 1);
        }
    }

    @Test
    void fixedIndexRanksByCountThenByIndex() {
        // ranking: class 1 (50), class 3 (50, tie after 1), class 2 (30), class 0 (10), class 4 (5)
        long[] counts = {10, 50, 30, 50, 5};
        assertThat(FixedIndexSplit.withHeadCount(2).split(countsOnly(counts)).signs())
                .containsExactly(1, -1, 1, -1, 1);
        assertThat(FixedIndexSplit.withHeadCount(1).split(countsOnly(counts)).signs())
                .containsExactly(1, -1, 1, 1, 1);
        assertThat(FixedIndexSplit.withHeadCount(3).split(countsOnly(counts)).signs())
                .containsExactly(1, -1, -1, -1, 1);
        // all tied: by index
        assertThat(FixedIndexSplit.withHeadCount(2).split(countsOnly(new long[] {7, 7, 7})).signs())
                .containsExactly(-1, -1, 1);
    }

    @Test
    void fixedIndexAcceptsTheEndsOfTheRange() {
        assertThat(FixedIndexSplit.withHeadCount(0).split(countsOnly(Fixtures.CIFAR10_LT)).signs())
                .containsOnly(1);
        assertThat(FixedIndexSplit.withHeadCount(10).split(countsOnly(Fixtures.CIFAR10_LT)).signs())
                .containsOnly(-1);
    }

    @Test
    void fixedIndexRejectsTauAboveTheClassCountNamingTheKey() {
        SplitStrategy split = split("fixed-index", "tau = 11");
        assertThatThrownBy(() -> split.split(countsOnly(Fixtures.CIFAR10_LT)))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.split.fixed-index.tau")
                .hasMessageContaining("[0, 10]");
    }

    @Test
    void fixedIndexChecksTauAgainstTheClassCountBeforeAnyBatch() {
        SplitStrategy split = split("fixed-index", "tau = 11");
        assertThatThrownBy(() -> split.checkNumClasses(10))
                .isInstanceOf(LplException.class)
                .hasMessage("invalid configuration value method.lpl.split.fixed-index.tau: 11 is out of range;"
                        + " allowed: [0, 10] (the number of classes) or 'auto'");
        split.checkNumClasses(11);
        split("fixed-index", "tau = auto").checkNumClasses(1);
        split("mean", "").checkNumClasses(1);
    }

    @Test
    void fixedIndexRejectsInvalidTauNamingTheKey() {
        assertThatThrownBy(() -> split("fixed-index", "tau = -1"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.split.fixed-index.tau");
        assertThatThrownBy(() -> split("fixed-index", "tau = many"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.split.fixed-index.tau")
                .hasMessageContaining("auto");
        assertThat(split("fixed-index", "tau = 3").split(countsOnly(Fixtures.CIFAR10_LT)).signs())
                .containsExactly(-1, -1, -1, 1, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void allPositiveMaximisesEveryClass() {
        Split split = split("all-positive", "").split(countsOnly(Fixtures.CIFAR10_LT));
        assertThat(split.signs()).hasSize(10).containsOnly(1);
        assertThat(split.threshold()).isNaN();
        assertThat(new AllPositiveSplit().dependsOnScores()).isFalse();
    }
}
