package dev.lpl.methods.lpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lpl.api.LplException;
import dev.lpl.api.perturbation.InnerSolution;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.contract.Configured;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * LA + LPL (Eq. 15): LPL run on {@code u + λ·log π}, the loss taken on the adjusted, perturbed
 * logits. Checked against plain LPL on adjusted logits and against the naive reference.
 */
class LaLplTest {

    /** The CIFAR-10-LT row's bounds for CIFAR-10-LT counts (τ = 4, 0 / 0.9 / 1.5). */
    private static final double[] CIFAR10_LT_BOUNDS = {0.9, 0.9 * 2997 / 5000, 0.9 * 1796 / 5000,
        0.9 * 1077 / 5000, 1.5 * 50 / 645, 1.5 * 50 / 387, 1.5 * 50 / 232, 1.5 * 50 / 139, 1.5 * 50 / 83, 1.5};

    private static final int[] CIFAR10_LT_SIGNS = {-1, -1, -1, -1, 1, 1, 1, 1, 1, 1};

    /** The forward output and the gradient of Σ_i CE(output_i, y_i) with respect to the logits. */
    private record Pass(float[] output, float[] gradient) { }

    private static Pass pass(Perturbation perturbation, float[] logits, int[] labels, long[] counts) {
        int batchSize = labels.length;
        int numClasses = counts.length;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray u = manager.create(logits, new Shape(batchSize, numClasses));
            u.setRequiresGradient(true);
            float[] oneHot = new float[batchSize * numClasses];
            for (int i = 0; i < batchSize; i++) {
                oneHot[i * numClasses + labels[i]] = 1f;
            }
            NDArray target = manager.create(oneHot, new Shape(batchSize, numClasses));
            float[] output;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                    NDManager step = manager.newSubManager()) {
                NDArray perturbed = perturbation.perturb(u, manager.create(labels), new TrainingView(counts, 0, 1, step));
                output = perturbed.toFloatArray();
                collector.backward(perturbed.logSoftmax(1).mul(target).sum().neg());
            }
            return new Pass(output, u.getGradient().toFloatArray());
        }
    }

    /** λ·log(n_c/N + 1e-12), written from Eq. 15. */
    private static double[] shift(long[] counts, double lambda) {
        double total = 0;
        for (long n : counts) {
            total += n;
        }
        double[] shift = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            shift[c] = lambda * Math.log(counts[c] / total + 1e-12);
        }
        return shift;
    }

    private static float[] adjusted(float[] logits, double[] shift) {
        float[] out = new float[logits.length];
        for (int n = 0; n < logits.length; n++) {
            out[n] = logits[n] + (float) shift[n % shift.length];
        }
        return out;
    }

    @Test
    void isLplOnTheAdjustedLogitsPlusTheShift() {
        Random random = new Random(61);
        int batchSize = 64;
        int numClasses = 10;
        long[] counts = Fixtures.CIFAR10_LT;
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 3);
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        for (double lambda : new double[] {1.0, 0.5}) {
            double[] shift = shift(counts, lambda);
            float[] adjusted = adjusted(logits, shift);
            Pass laLpl = pass(Fixtures.lpl("logit-adjustment = " + lambda), logits, labels, counts);
            Pass plainOnAdjusted = pass(Fixtures.lpl(""), adjusted, labels, counts);
            NaiveLpl.Result naive = NaiveLpl.solve(NaiveLpl.toMatrix(adjusted, batchSize, numClasses), labels,
                    numClasses, CIFAR10_LT_BOUNDS, 0.15, NaiveLpl.Norm.ROW, s -> CIFAR10_LT_SIGNS, false);
            for (int i = 0; i < batchSize; i++) {
                for (int j = 0; j < numClasses; j++) {
                    int n = i * numClasses + j;
                    assertThat(laLpl.output()[n]).isCloseTo(plainOnAdjusted.output()[n], within(1e-5f));
                    assertThat(laLpl.gradient()[n]).isCloseTo(plainOnAdjusted.gradient()[n], within(1e-5f));
                    double expected = logits[n] + shift[j] + naive.delta[labels[i]][j];
                    assertThat((double) laLpl.output()[n]).as("λ %s entry %d", lambda, n)
                            .isCloseTo(expected, within(1e-5));
                }
            }
        }
    }

    @Test
    void theSplitAndBoundsSeeTheAdjustedScores() {
        Random random = new Random(62);
        int batchSize = 128;
        int numClasses = 10;
        long[] counts = Fixtures.CIFAR10_LT;
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 1);
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        String balanced = "split.type = mean\nbound.type = varied-balanced\noptimizer.pgd.alpha = 0.01\n";
        InnerSolution laLpl = Fixtures.lplMethod(balanced + "logit-adjustment = 1.0").solve(logits, labels, counts);
        float[] adjusted = adjusted(logits, shift(counts, 1.0));
        InnerSolution plainOnAdjusted = Fixtures.lplMethod(balanced).solve(adjusted, labels, counts);
        InnerSolution plainOnRaw = Fixtures.lplMethod(balanced).solve(logits, labels, counts);
        assertThat(laLpl.initialSplit().signs()).containsExactly(plainOnAdjusted.initialSplit().signs());
        assertThat(laLpl.steps()).containsExactly(plainOnAdjusted.steps());
        assertThat(laLpl.delta()).containsExactly(plainOnAdjusted.delta(), within(1e-6f));
        // the prior's shift makes the rare classes hard: they are the ones maximised
        assertThat(laLpl.initialSplit().signs()).isNotEqualTo(plainOnRaw.initialSplit().signs());
        assertThat(laLpl.initialSplit().signs()[9]).isEqualTo(1);
        assertThat(laLpl.initialSplit().signs()[0]).isEqualTo(-1);
    }

    @Test
    void throughTheLoopHasTheSameForwardAndTheGradientOfTheAdjustedReference() {
        Random random = new Random(63);
        int batchSize = 8;
        int numClasses = 4;
        long[] counts = {400, 150, 60, 20};
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 2);
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        String options = "split.fixed-index.tau = 2\nlogit-adjustment = 1.0\n";
        Pass detached = pass(Fixtures.lpl(options), logits, labels, counts);
        Pass attached = pass(Fixtures.lpl(options + "detach = false"), logits, labels, counts);
        for (int n = 0; n < logits.length; n++) {
            assertThat(attached.output()[n]).isCloseTo(detached.output()[n], within(1e-5f));
        }
        double[] shift = shift(counts, 1.0);
        double[] bounds = {0.9, 0.9 * 150 / 400, 1.5 * 20 / 60, 1.5};
        int[] signs = {-1, -1, 1, 1};
        double h = 1e-4;
        for (int n = 0; n < logits.length; n++) {
            double[][] plus = NaiveLpl.toMatrix(logits, batchSize, numClasses);
            double[][] minus = NaiveLpl.toMatrix(logits, batchSize, numClasses);
            for (int i = 0; i < batchSize; i++) {
                for (int j = 0; j < numClasses; j++) {
                    plus[i][j] += shift[j];
                    minus[i][j] += shift[j];
                }
            }
            plus[n / numClasses][n % numClasses] += h;
            minus[n / numClasses][n % numClasses] -= h;
            double fPlus = NaiveLpl.crossEntropy(NaiveLpl.solve(plus, labels, numClasses, bounds, 0.15,
                    NaiveLpl.Norm.ROW, s -> signs, false).perturbed, labels);
            double fMinus = NaiveLpl.crossEntropy(NaiveLpl.solve(minus, labels, numClasses, bounds, 0.15,
                    NaiveLpl.Norm.ROW, s -> signs, false).perturbed, labels);
            assertThat((double) attached.gradient()[n]).as("d/du[%d]", n)
                    .isCloseTo((fPlus - fMinus) / (2 * h), within(2e-4));
        }
    }

    @Test
    void zeroAdjustmentIsPlainLpl() {
        Random random = new Random(64);
        float[] logits = Fixtures.randomLogits(random, 32, 10, 3);
        int[] labels = Fixtures.randomLabels(random, 32, 10);
        assertThat(Fixtures.lplMethod("").logitAdjustment()).isZero();
        Pass plain = pass(Fixtures.lpl(""), logits, labels, Fixtures.CIFAR10_LT);
        Pass zero = pass(Fixtures.lpl("logit-adjustment = 0"), logits, labels, Fixtures.CIFAR10_LT);
        assertThat(zero.output()).containsExactly(plain.output());
        assertThat(zero.gradient()).containsExactly(plain.gradient());
    }

    @Test
    void theAdjustmentIsLambdaTimesTheLogPrior() {
        // π = (0.6, 0.3, 0.1)
        assertThat(Fixtures.lplMethod("logit-adjustment = 2").adjustment(new long[] {6, 3, 1})).containsExactly(
                new float[] {(float) (2 * -0.5108256237659907), (float) (2 * -1.2039728043259361),
                    (float) (2 * -2.3025850929940455)}, within(1e-6f));
        assertThat(Fixtures.lplMethod("").adjustment(new long[] {6, 3, 1})).containsExactly(0f, 0f, 0f);
    }

    @Test
    void thePresetsHaveTheRowsStepCounts() {
        LplPerturbation tenClasses = (LplPerturbation) Configured.perturbation("method.type=la+lpl");
        assertThat(tenClasses.logitAdjustment()).isEqualTo(1.0);
        Random random = new Random(65);
        float[] logits = Fixtures.randomLogits(random, 128, 10, 2);
        int[] labels = Fixtures.randomLabels(random, 128, 10);
        InnerSolution solution = tenClasses.solve(logits, labels, Fixtures.CIFAR10_LT);
        // the CIFAR-10-LT LPL row: τ = 4; head ⌊0.9·n_c/n_1 / 0.15⌋, tail ⌊1.5·n_C/n_c / 0.15⌋
        assertThat(solution.initialSplit().signs()).containsExactly(-1, -1, -1, -1, 1, 1, 1, 1, 1, 1);
        assertThat(solution.steps()).containsExactly(6, 3, 2, 1, 0, 1, 2, 3, 6, 10);
        // the derivation rule: the LPL preset of the same class count, plus the log-prior shift
        LplPerturbation lpl = (LplPerturbation) Configured.perturbation("method.type=lpl-lt-cifar10");
        assertThat(lpl.logitAdjustment()).isZero();
        assertThat(lpl.solve(logits, labels, Fixtures.CIFAR10_LT).steps()).containsExactly(solution.steps());

        LplPerturbation hundred = (LplPerturbation) Configured.perturbation("method.type=la+lpl-cifar100");
        long[] counts = Fixtures.longTail(100, 500, 100);
        float[] logits100 = Fixtures.randomLogits(random, 128, 100, 2);
        int[] labels100 = Fixtures.randomLabels(random, 128, 100);
        InnerSolution solution100 = hundred.solve(logits100, labels100, counts);
        int[] signs = solution100.initialSplit().signs();
        for (int c = 0; c < 100; c++) {
            assertThat(signs[c]).as("class %d", c).isEqualTo(c < 27 ? -1 : 1);
        }
        assertThat(solution100.bounds()[0]).isCloseTo(2.0, within(1e-12));
        assertThat(solution100.bounds()[99]).isCloseTo(10.0, within(1e-12));
    }

    @Test
    void logitAdjustmentMustNotBeNegative() {
        assertThatThrownBy(() -> Fixtures.lpl("logit-adjustment = -1"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.logit-adjustment")
                .hasMessageContaining("[0.0, Infinity]");
        assertThatThrownBy(() -> Configured.perturbation("method.type=lpl", "method.lpl.logit-adjustment=yes"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.logit-adjustment");
    }
}
