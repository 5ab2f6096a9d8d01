package dev.lpl.methods.lpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.LplException;
import dev.lpl.api.perturbation.BoundStrategy;
import dev.lpl.api.perturbation.InnerProblem;
import dev.lpl.api.perturbation.InnerSolution;
import dev.lpl.api.perturbation.SplitStrategy;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PgdOptimizerTest {

    /** The batch on which the mean split flips a sign mid-loop (found by hand, see the test). */
    static final float[] FLIP_LOGITS = {
        0.8f, 0f, 0f,
        0.8f, 0f, 0f,
        0f, 10f, 0f,
        10f, -3f, 0f,
        10f, -3f, 0f,
        4f, 0f, 0f,
        4f, 0f, 0f,
    };
    static final int[] FLIP_LABELS = {0, 0, 1, 1, 1, 2, 2};

    private static void assertDeltaMatches(InnerSolution solution, NaiveLpl.Result naive, double tolerance) {
        int numClasses = solution.numClasses();
        for (int c = 0; c < numClasses; c++) {
            for (int j = 0; j < numClasses; j++) {
                assertThat((double) solution.delta(c, j)).as("delta[%d][%d]", c, j)
                        .isCloseTo(naive.delta[c][j], within(tolerance));
            }
        }
        assertThat(solution.steps()).containsExactly(naive.steps);
    }

    private static InnerSolution solve(float[] logits, int[] labels, long[] counts, SplitStrategy split,
            BoundStrategy bound, double alpha, GradientNormalization normalization) {
        return new PgdOptimizer(alpha, normalization).solve(new InnerProblem(logits, labels, counts, split, bound));
    }

    private static Function<double[], int[]> fixedSigns(int[] signs) {
        return scores -> signs;
    }

    private static int[] headTail(int numClasses, int head) {
        int[] signs = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            signs[c] = c < head ? -1 : 1;
        }
        return signs;
    }

    /** Eq. 14 written out for counts in decreasing order with τ head classes. */
    private static double[] longTailBounds(long[] counts, int head, double epsilon, double dHead, double dTail) {
        double[] bounds = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            bounds[c] = c < head
                    ? epsilon + dHead * counts[c] / counts[0]
                    : epsilon + dTail * counts[counts.length - 1] / counts[c];
        }
        return bounds;
    }

    private static double[] constant(int numClasses, double value) {
        double[] bounds = new double[numClasses];
        Arrays.fill(bounds, value);
        return bounds;
    }

    @Test
    void stepCountsFloorWithATolerance() {
        assertThat(0.3 / 0.1).isLessThan(3.0);
        assertThat(PgdOptimizer.steps(0.3, 0.1)).isEqualTo(3);
        assertThat(PgdOptimizer.steps(0.9, 0.15)).isEqualTo(6);
        assertThat(PgdOptimizer.steps(1.5, 0.15)).isEqualTo(10);
        assertThat(PgdOptimizer.steps(0.08, 0.01)).isEqualTo(8);
        assertThat(PgdOptimizer.steps(0.2999, 0.1)).isEqualTo(2);
        assertThat(PgdOptimizer.steps(0.0, 0.1)).isZero();
        assertThat(PgdOptimizer.steps(0.05, 0.1)).isZero();
        assertThat(PgdOptimizer.steps(-0.3, 0.1)).isZero();
        assertThatThrownBy(() -> PgdOptimizer.steps(1e9, 1e-3)).isInstanceOf(LplException.class)
                .hasMessageContaining("alpha");
    }

    @Test
    void smallRandomBatchMatchesTheNaiveReference() {
        Random random = new Random(11);
        int batchSize = 16;
        int numClasses = 4;
        long[] counts = {400, 150, 60, 20};
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 3);
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        InnerSolution solution = solve(logits, labels, counts, FixedIndexSplit.withHeadCount(2),
                new VariedLongtailBound(0.1, 0.9, 1.5), 0.15, GradientNormalization.ROW);
        NaiveLpl.Result naive = NaiveLpl.solve(NaiveLpl.toMatrix(logits, batchSize, numClasses), labels,
                numClasses, longTailBounds(counts, 2, 0.1, 0.9, 1.5), 0.15, NaiveLpl.Norm.ROW,
                fixedSigns(headTail(4, 2)), false);
        assertThat(naive.steps).containsExactly(6, 2, 4, 10);
        assertDeltaMatches(solution, naive, 1e-5);
        assertThat(solution.initialSplit().signs()).containsExactly(-1, -1, 1, 1);
    }

    @Test
    void cifar10BatchWithDefaultsMatchesTheNaiveReference() {
        Random random = new Random(12);
        int batchSize = 128;
        int numClasses = 10;
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 4);
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        InnerSolution solution = Fixtures.lplMethod("").solve(logits, labels, Fixtures.CIFAR10_LT);
        NaiveLpl.Result naive = NaiveLpl.solve(NaiveLpl.toMatrix(logits, batchSize, numClasses), labels,
                numClasses, longTailBounds(Fixtures.CIFAR10_LT, 4, 0, 0.9, 1.5), 0.15, NaiveLpl.Norm.ROW,
                fixedSigns(headTail(10, 4)), false);
        assertThat(naive.steps).containsExactly(6, 3, 2, 1, 0, 1, 2, 3, 6, 10);
        assertDeltaMatches(solution, naive, 1e-5);
        // each δ_c is the sum of K_c steps of length α: ‖δ_c‖ ≤ K_c·α
        for (int c = 0; c < numClasses; c++) {
            double norm = 0;
            for (int j = 0; j < numClasses; j++) {
                norm += solution.delta(c, j) * solution.delta(c, j);
            }
            assertThat(Math.sqrt(norm)).isLessThanOrEqualTo(solution.steps()[c] * 0.15 + 1e-6);
        }
    }

    @Test
    void balancedMeanSplitWithVariedBoundsMatchesTheNaiveReference() {
        Random random = new Random(13);
        int batchSize = 64;
        int numClasses = 10;
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 3);
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        long[] counts = new long[numClasses];
        Arrays.fill(counts, 5000);
        double epsilon = 0.8;
        double deltaEpsilon = 0.08;
        double alpha = 0.01;
        InnerSolution solution = solve(logits, labels, counts, new MeanSplit(false),
                new VariedBalancedBound(epsilon, deltaEpsilon, true), alpha, GradientNormalization.ROW);
        // Eq. 13 on the unperturbed scores, written out here
        double[][] u = NaiveLpl.toMatrix(logits, batchSize, numClasses);
        double[] scores = new double[numClasses];
        int[] members = new int[numClasses];
        for (int i = 0; i < batchSize; i++) {
            scores[labels[i]] += NaiveLpl.softmax(u[i])[labels[i]];
            members[labels[i]]++;
        }
        double tau = 0;
        for (int c = 0; c < numClasses; c++) {
            scores[c] /= members[c];
            tau += scores[c] / numClasses;
        }
        double maxBelow = 0;
        double maxAbove = 0;
        for (int c = 0; c < numClasses; c++) {
            if (scores[c] < tau) {
                maxBelow = Math.max(maxBelow, tau - scores[c]);
            } else {
                maxAbove = Math.max(maxAbove, scores[c] - tau);
            }
        }
        double[] bounds = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            double d = Math.abs(tau - scores[c]);
            bounds[c] = epsilon + deltaEpsilon * d / (scores[c] < tau ? maxBelow : maxAbove);
        }
        NaiveLpl.Result naive = NaiveLpl.solve(u, labels, numClasses, bounds, alpha, NaiveLpl.Norm.ROW,
                s -> NaiveLpl.meanSigns(s, false), true);
        assertThat(solution.initialSplit().threshold()).isCloseTo(tau, within(1e-12));
        for (int c = 0; c < numClasses; c++) {
            assertThat(solution.bounds()[c]).isCloseTo(bounds[c], within(1e-12));
        }
        assertDeltaMatches(solution, naive, 1e-5);
    }

    @Test
    void columnAndNoNormalisationMatchTheNaiveReference() {
        Random random = new Random(14);
        int batchSize = 16;
        int numClasses = 4;
        long[] counts = {400, 150, 60, 20};
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 3);
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        double[][] u = NaiveLpl.toMatrix(logits, batchSize, numClasses);
        double[] bounds = longTailBounds(counts, 1, 0, 0.9, 1.5);
        InnerSolution column = solve(logits, labels, counts, FixedIndexSplit.withHeadCount(1),
                new VariedLongtailBound(0, 0.9, 1.5), 0.15, GradientNormalization.COLUMN);
        assertDeltaMatches(column, NaiveLpl.solve(u, labels, numClasses, bounds, 0.15, NaiveLpl.Norm.COLUMN,
                fixedSigns(headTail(4, 1)), false), 1e-5);
        InnerSolution none = solve(logits, labels, counts, FixedIndexSplit.withHeadCount(1),
                new VariedLongtailBound(0, 0.9, 1.5), 0.15, GradientNormalization.NONE);
        assertDeltaMatches(none, NaiveLpl.solve(u, labels, numClasses, bounds, 0.15, NaiveLpl.Norm.NONE,
                fixedSigns(headTail(4, 1)), false), 1e-5);
        InnerSolution row = solve(logits, labels, counts, FixedIndexSplit.withHeadCount(1),
                new VariedLongtailBound(0, 0.9, 1.5), 0.15, GradientNormalization.ROW);
        assertThat(column.delta()).isNotEqualTo(row.delta());
        assertThat(none.delta()).isNotEqualTo(row.delta());
    }

    @Test
    void columnNormalisationWithAbsentClassesAndMeanSplitMatchesTheNaiveReference() {
        Random random = new Random(15);
        int batchSize = 12;
        int numClasses = 6;
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 2);
        int[] labels = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            labels[i] = new int[] {0, 2, 3, 5}[random.nextInt(4)];
        }
        labels[0] = 0;
        labels[1] = 2;
        labels[2] = 3;
        labels[3] = 5;
        long[] counts = new long[numClasses];
        Arrays.fill(counts, 100);
        InnerSolution solution = solve(logits, labels, counts, new MeanSplit(false), new FixedBound(0.5), 0.05,
                GradientNormalization.COLUMN);
        NaiveLpl.Result naive = NaiveLpl.solve(NaiveLpl.toMatrix(logits, batchSize, numClasses), labels,
                numClasses, constant(numClasses, 0.5), 0.05, NaiveLpl.Norm.COLUMN,
                s -> NaiveLpl.meanSigns(s, false), true);
        assertDeltaMatches(solution, naive, 1e-5);
        for (int j = 0; j < numClasses; j++) {
            assertThat(solution.delta(1, j)).isZero();
            assertThat(solution.delta(4, j)).isZero();
        }
        assertThat(solution.steps()).containsExactly(10, 0, 10, 10, 0, 10);
    }

    @Test
    void meanSplitIsReEvaluatedAtEveryStep() {
        int numClasses = 3;
        int batchSize = FLIP_LABELS.length;
        double[][] u = NaiveLpl.toMatrix(FLIP_LOGITS, batchSize, numClasses);
        long[] counts = {100, 100, 100};
        double[] bounds = constant(numClasses, 1.0);
        // ε = 1, α = 0.2: 5 steps. Class 1 (one confident and two hopeless samples, q ≈ 1/3) barely moves
        // while class 0 (q ≈ 0.53) becomes easy quickly, so τ rises above class 1's score mid-loop.
        NaiveLpl.Result reEvaluated = NaiveLpl.solve(u, FLIP_LABELS, numClasses, bounds, 0.2, NaiveLpl.Norm.ROW,
                s -> NaiveLpl.meanSigns(s, false), true);
        NaiveLpl.Result frozen = NaiveLpl.solve(u, FLIP_LABELS, numClasses, bounds, 0.2, NaiveLpl.Norm.ROW,
                s -> NaiveLpl.meanSigns(s, false), false);
        assertThat(reEvaluated.signsPerStep.get(0)).containsExactly(-1, -1, 1);
        assertThat(reEvaluated.signsPerStep.get(4)).containsExactly(-1, 1, 1);
        InnerSolution solution = solve(FLIP_LOGITS, FLIP_LABELS, counts, new MeanSplit(false), new FixedBound(1.0),
                0.2, GradientNormalization.ROW);
        assertThat(solution.initialSplit().signs()).containsExactly(-1, -1, 1);
        assertDeltaMatches(solution, reEvaluated, 1e-5);
        assertThat(Math.abs(solution.delta(1, 1) - frozen.delta[1][1])).isGreaterThan(0.1);
    }

    @Test
    void extremeLogitsStayFinite() {
        Random random = new Random(16);
        int batchSize = 32;
        int numClasses = 10;
        float[] logits = new float[batchSize * numClasses];
        for (int n = 0; n < logits.length; n++) {
            logits[n] = random.nextBoolean() ? 1e4f : -1e4f;
        }
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        for (GradientNormalization normalization : GradientNormalization.values()) {
            InnerSolution solution = solve(logits, labels, Fixtures.CIFAR10_LT, FixedIndexSplit.auto(),
                    new VariedLongtailBound(0, 0.9, 1.5), 0.15, normalization);
            for (float d : solution.delta()) {
                assertThat(Float.isFinite(d)).isTrue();
            }
            NaiveLpl.Result naive = NaiveLpl.solve(NaiveLpl.toMatrix(logits, batchSize, numClasses), labels,
                    numClasses, longTailBounds(Fixtures.CIFAR10_LT, 4, 0, 0.9, 1.5), 0.15,
                    NaiveLpl.Norm.valueOf(normalization.name()), fixedSigns(headTail(10, 4)), false);
            assertDeltaMatches(solution, naive, 1e-3);
        }
        InnerSolution mean = solve(logits, labels, Fixtures.CIFAR10_LT, new MeanSplit(false),
                new VariedBalancedBound(0.8, 0.08, true), 0.01, GradientNormalization.ROW);
        for (float d : mean.delta()) {
            assertThat(Float.isFinite(d)).isTrue();
        }
    }

    @Test
    void zeroBoundGivesZeroPerturbation() {
        Random random = new Random(17);
        float[] logits = Fixtures.randomLogits(random, 16, 4, 3);
        int[] labels = Fixtures.randomLabels(random, 16, 4);
        for (double epsilon : new double[] {0, 0.1}) {
            InnerSolution solution = solve(logits, labels, new long[] {4, 3, 2, 1}, new MeanSplit(false),
                    new FixedBound(epsilon), 0.15, GradientNormalization.ROW);
            assertThat(solution.delta()).containsOnly(0f);
            assertThat(solution.steps()).containsOnly(0);
        }
    }

    @Test
    void singleClassBatch() {
        Random random = new Random(18);
        int batchSize = 8;
        int numClasses = 4;
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 2);
        int[] labels = new int[batchSize];
        Arrays.fill(labels, 2);
        InnerSolution solution = solve(logits, labels, new long[] {10, 10, 10, 10}, new MeanSplit(false),
                new FixedBound(0.5), 0.1, GradientNormalization.ROW);
        // the only class sits at τ, so it is minimised (s = −1)
        assertThat(solution.initialSplit().sign(2)).isEqualTo(-1);
        NaiveLpl.Result naive = NaiveLpl.solve(NaiveLpl.toMatrix(logits, batchSize, numClasses), labels,
                numClasses, constant(numClasses, 0.5), 0.1, NaiveLpl.Norm.ROW,
                s -> NaiveLpl.meanSigns(s, false), true);
        assertDeltaMatches(solution, naive, 1e-5);
        assertThat(solution.steps()).containsExactly(0, 0, 5, 0);
        // minimisation raises the true-class logit relative to the others
        assertThat(solution.delta(2, 2)).isGreaterThan(0f);
    }

    @Test
    void hundredClassesWithCifar100LtSettingsMatchTheNaiveReference() {
        Random random = new Random(19);
        int batchSize = 128;
        int numClasses = 100;
        long[] counts = Fixtures.longTail(numClasses, 500, 100);
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 5);
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        InnerSolution solution = Fixtures.lplMethod("split.fixed-index.tau = 40\n"
                + "bound.varied-longtail { delta-epsilon-head = 0.08, delta-epsilon-tail = 0.4 }\n"
                + "optimizer.pgd.alpha = 0.01").solve(logits, labels, counts);
        NaiveLpl.Result naive = NaiveLpl.solve(NaiveLpl.toMatrix(logits, batchSize, numClasses), labels,
                numClasses, longTailBounds(counts, 40, 0, 0.08, 0.4), 0.01, NaiveLpl.Norm.ROW,
                fixedSigns(headTail(100, 40)), false);
        assertDeltaMatches(solution, naive, 1e-5);
        assertThat(Arrays.stream(solution.steps()).max().orElseThrow()).isEqualTo(40);
    }

    @Test
    void emptyBatchGivesZeroPerturbation() {
        InnerSolution solution = solve(new float[0], new int[0], new long[] {3, 2, 1}, new MeanSplit(false),
                new FixedBound(1), 0.1, GradientNormalization.ROW);
        assertThat(solution.delta()).hasSize(9).containsOnly(0f);
    }

    @Test
    void invalidSolverParametersAreRejected() {
        assertThatThrownBy(() -> new PgdOptimizer(0, GradientNormalization.ROW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PgdOptimizer(Double.NaN, GradientNormalization.ROW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PgdOptimizer(0.1, null)).isInstanceOf(NullPointerException.class);
        assertThat(GradientNormalization.of("column")).isEqualTo(GradientNormalization.COLUMN);
        assertThatThrownBy(() -> GradientNormalization.of("diag")).isInstanceOf(IllegalArgumentException.class);
    }
}
