package dev.lpl.methods.lpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lpl.api.perturbation.InnerSolution;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.config.TypesafeSettings;
import dev.lpl.methods.CrossEntropyPerturbation;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LplPerturbationTest {

    /** The forward output and the gradient of Σ_i CE(output_i, y_i) with respect to the logits. */
    private record Pass(float[] output, float[] gradient) { }

    private static Pass pass(Perturbation perturbation, float[] logits, int[] labels, long[] counts,
            boolean int64Labels) {
        int batchSize = labels.length;
        int numClasses = counts.length;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray u = manager.create(logits, new Shape(batchSize, numClasses));
            u.setRequiresGradient(true);
            NDArray y;
            if (int64Labels) {
                long[] wide = new long[batchSize];
                for (int i = 0; i < batchSize; i++) {
                    wide[i] = labels[i];
                }
                y = manager.create(wide);
            } else {
                y = manager.create(labels);
            }
            float[] oneHot = new float[batchSize * numClasses];
            for (int i = 0; i < batchSize; i++) {
                oneHot[i * numClasses + labels[i]] = 1f;
            }
            NDArray target = manager.create(oneHot, new Shape(batchSize, numClasses));
            float[] output;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                    NDManager step = manager.newSubManager()) {
                NDArray perturbed = perturbation.perturb(u, y, new TrainingView(counts, 0, 1, step));
                output = perturbed.toFloatArray();
                NDArray loss = perturbed.logSoftmax(1).mul(target).sum().neg();
                collector.backward(loss);
            }
            return new Pass(output, u.getGradient().toFloatArray());
        }
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int n = 0; n < a.length; n++) {
            max = Math.max(max, Math.abs(a[n] - b[n]));
        }
        return max;
    }

    @Test
    void detachedPerturbationAddsDeltaOfTheLabelAndHasNoGradientThroughDelta() {
        Random random = new Random(21);
        int batchSize = 32;
        int numClasses = 10;
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 3);
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        LplPerturbation lpl = Fixtures.lplMethod("");
        InnerSolution solution = lpl.solve(logits, labels, Fixtures.CIFAR10_LT);
        NaiveLpl.Result naive = NaiveLpl.solve(NaiveLpl.toMatrix(logits, batchSize, numClasses), labels,
                numClasses, new double[] {0.9, 0.9 * 2997 / 5000, 0.9 * 1796 / 5000, 0.9 * 1077 / 5000,
                    1.5 * 50 / 645, 1.5 * 50 / 387, 1.5 * 50 / 232, 1.5 * 50 / 139, 1.5 * 50 / 83, 1.5},
                0.15, NaiveLpl.Norm.ROW, s -> new int[] {-1, -1, -1, -1, 1, 1, 1, 1, 1, 1}, false);
        for (boolean int64 : new boolean[] {false, true}) {
            Pass pass = pass(lpl, logits, labels, Fixtures.CIFAR10_LT, int64);
            for (int i = 0; i < batchSize; i++) {
                double[] expected = new double[numClasses];
                for (int j = 0; j < numClasses; j++) {
                    int n = i * numClasses + j;
                    expected[j] = logits[n] + naive.delta[labels[i]][j];
                    assertThat((double) pass.output[n]).isCloseTo(expected[j], within(1e-5));
                    assertThat(pass.output[n]).isCloseTo(logits[n] + solution.delta(labels[i], j), within(1e-6f));
                }
                // d Σ CE / du_i = softmax(u_i + δ_{y_i}) − e_{y_i}: no path through δ
                double[] p = NaiveLpl.softmax(expected);
                for (int j = 0; j < numClasses; j++) {
                    double g = p[j] - (j == labels[i] ? 1 : 0);
                    assertThat((double) pass.gradient[i * numClasses + j]).isCloseTo(g, within(1e-5));
                }
            }
        }
    }

    @Test
    void differentiablePathHasTheSameForwardAndTheGradientThroughTheLoop() {
        Random random = new Random(22);
        int batchSize = 8;
        int numClasses = 4;
        long[] counts = {400, 150, 60, 20};
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 2);
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        String options = "split.fixed-index.tau = 2\n";
        Pass detached = pass(Fixtures.lpl(options), logits, labels, counts, false);
        Pass attached = pass(Fixtures.lpl(options + "detach = false"), logits, labels, counts, true);
        assertThat(maxAbsDifference(detached.output, attached.output)).isLessThan(1e-5);
        assertThat(maxAbsDifference(detached.gradient, attached.gradient)).isGreaterThan(1e-2);

        // the through-the-loop gradient equals central differences of the naive reference
        double[] bounds = {0.9, 0.9 * 150 / 400, 1.5 * 20 / 60, 1.5};
        int[] signs = {-1, -1, 1, 1};
        double h = 1e-4;
        for (int n = 0; n < logits.length; n++) {
            double[][] plus = NaiveLpl.toMatrix(logits, batchSize, numClasses);
            double[][] minus = NaiveLpl.toMatrix(logits, batchSize, numClasses);
            plus[n / numClasses][n % numClasses] += h;
            minus[n / numClasses][n % numClasses] -= h;
            double fPlus = NaiveLpl.crossEntropy(NaiveLpl.solve(plus, labels, numClasses, bounds, 0.15,
                    NaiveLpl.Norm.ROW, s -> signs, false).perturbed, labels);
            double fMinus = NaiveLpl.crossEntropy(NaiveLpl.solve(minus, labels, numClasses, bounds, 0.15,
                    NaiveLpl.Norm.ROW, s -> signs, false).perturbed, labels);
            assertThat((double) attached.gradient[n]).as("d/du[%d]", n)
                    .isCloseTo((fPlus - fMinus) / (2 * h), within(2e-4));
        }
    }

    @Test
    void differentiableReplayUsesTheSignsOfEveryStep() {
        long[] counts = {100, 100, 100};
        String options = "split.type = mean\nbound { type = fixed, fixed.epsilon = 1.0 }\noptimizer.pgd.alpha = 0.2\n";
        Pass detached = pass(Fixtures.lpl(options), PgdOptimizerTest.FLIP_LOGITS, PgdOptimizerTest.FLIP_LABELS,
                counts, false);
        Pass attached = pass(Fixtures.lpl(options + "detach = false"), PgdOptimizerTest.FLIP_LOGITS,
                PgdOptimizerTest.FLIP_LABELS, counts, false);
        assertThat(maxAbsDifference(detached.output, attached.output)).isLessThan(1e-4);
        for (float g : attached.gradient) {
            assertThat(Float.isFinite(g)).isTrue();
        }
    }

    @Test
    void differentiableReplayMatchesForEveryNormalisation() {
        Random random = new Random(23);
        int batchSize = 128;
        int numClasses = 10;
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 3);
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        for (String normalize : new String[] {"row", "column", "none"}) {
            String options = "optimizer.pgd.normalize = " + normalize + "\n";
            Pass detached = pass(Fixtures.lpl(options), logits, labels, Fixtures.CIFAR10_LT, false);
            Pass attached = pass(Fixtures.lpl(options + "detach = false"), logits, labels, Fixtures.CIFAR10_LT,
                    false);
            assertThat(maxAbsDifference(detached.output, attached.output)).as(normalize).isLessThan(1e-4);
        }
    }

    @Test
    void hundredClassesBothPaths() {
        Random random = new Random(24);
        int batchSize = 128;
        int numClasses = 100;
        long[] counts = Fixtures.longTail(numClasses, 500, 100);
        float[] logits = Fixtures.randomLogits(random, batchSize, numClasses, 3);
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        String options = "bound.varied-longtail { delta-epsilon-head = 0.08, delta-epsilon-tail = 0.4 }\n"
                + "optimizer.pgd.alpha = 0.01\n";
        Pass detached = pass(Fixtures.lpl(options), logits, labels, counts, true);
        Pass attached = pass(Fixtures.lpl(options + "detach = false"), logits, labels, counts, true);
        assertThat(maxAbsDifference(detached.output, attached.output)).isLessThan(1e-4);
        InnerSolution solution = Fixtures.lplMethod(options).solve(logits, labels, counts);
        for (int i = 0; i < batchSize; i++) {
            for (int j = 0; j < numClasses; j++) {
                int n = i * numClasses + j;
                assertThat(detached.output[n]).isCloseTo(logits[n] + solution.delta(labels[i], j), within(1e-6f));
            }
        }
    }

    @Test
    void extremeLogitsStayFiniteOnBothPaths() {
        Random random = new Random(25);
        int batchSize = 16;
        int numClasses = 10;
        float[] logits = new float[batchSize * numClasses];
        for (int n = 0; n < logits.length; n++) {
            logits[n] = random.nextBoolean() ? 1e4f : -1e4f;
        }
        int[] labels = Fixtures.randomLabels(random, batchSize, numClasses);
        for (String options : new String[] {"", "detach = false", "detach = false\noptimizer.pgd.normalize = column",
            "split.type = mean\nbound.type = varied-balanced\noptimizer.pgd.alpha = 0.01\ndetach = false"}) {
            Pass pass = pass(Fixtures.lpl(options), logits, labels, Fixtures.CIFAR10_LT, false);
            for (int n = 0; n < logits.length; n++) {
                assertThat(Float.isFinite(pass.output[n])).as(options).isTrue();
                assertThat(Float.isFinite(pass.gradient[n])).as(options).isTrue();
            }
        }
    }

    @Test
    void zeroBoundLeavesTheLogitsUnchanged() {
        Random random = new Random(26);
        float[] logits = Fixtures.randomLogits(random, 16, 4, 3);
        int[] labels = Fixtures.randomLabels(random, 16, 4);
        for (String detach : new String[] {"true", "false"}) {
            Pass pass = pass(Fixtures.lpl("bound { type = fixed, fixed.epsilon = 0 }\ndetach = " + detach),
                    logits, labels, new long[] {4, 3, 2, 1}, false);
            assertThat(pass.output).containsExactly(logits);
        }
    }

    @Test
    void crossEntropyReturnsTheLogitsUnchanged() {
        Perturbation ce = new CrossEntropyPerturbation.Factory()
                .create(TypesafeSettings.parse("{}"), new Fixtures.PluginComponents());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            NDArray labels = manager.create(new int[] {0, 2});
            NDArray result = ce.perturb(logits, labels, new TrainingView(new long[] {1, 1, 1}, 0, 1, manager));
            assertThat(result).isSameAs(logits);
            assertThat(result.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        }
    }
}
