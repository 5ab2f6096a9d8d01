package dev.lpl.methods.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.train.MethodObjective;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DisturbLabel's label noise: its rate, its uniformity, its seeding and the loss it yields. */
class DisturbLabelTest {

    private static final int CLASSES = 10;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private TrainingView view(long stepSeed) {
        long[] counts = new long[CLASSES];
        java.util.Arrays.fill(counts, 100);
        return new TrainingView(counts, 0, 1, manager, null, null, 0, stepSeed);
    }

    private NDArray labels(int batch) {
        long[] y = new long[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = i % CLASSES;
        }
        return manager.create(y);
    }

    @Test
    void changesTheExpectedFractionOfLabels() {
        // P(changed) = α·(C − 1)/C = 0.1 · 0.9 = 0.09; 20,000 samples: sd = 0.002
        int batch = 20_000;
        long[] y = labels(batch).toLongArray();
        long[] t = new DisturbLabel(0.1).targets(labels(batch), view(7)).toLongArray();
        int changed = 0;
        for (int i = 0; i < batch; i++) {
            changed += y[i] != t[i] ? 1 : 0;
        }
        assertThat(changed / (double) batch).isCloseTo(0.09, within(0.008));
    }

    @Test
    void drawsReplacementsUniformlyOverAllClasses() {
        // α = 1: every target uniform over C, independent of the label (chi-square, 9 dof, p = 0.001: 27.9)
        int batch = 20_000;
        long[] t = new DisturbLabel(1).targets(labels(batch), view(8)).toLongArray();
        int[] histogram = new int[CLASSES];
        for (long v : t) {
            histogram[(int) v]++;
        }
        double expected = batch / (double) CLASSES;
        double chiSquare = 0;
        for (int count : histogram) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        assertThat(chiSquare).isLessThan(27.9);
    }

    @Test
    void isAFunctionOfTheStepSeedOnly() {
        DisturbLabel method = new DisturbLabel(0.5);
        long[] a = method.targets(labels(256), view(1)).toLongArray();
        long[] b = new DisturbLabel(0.5).targets(labels(256), view(1)).toLongArray();
        long[] c = method.targets(labels(256), view(2)).toLongArray();
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void alphaZeroKeepsTheLabelsAndTheLogits() {
        NDArray y = labels(32);
        NDArray u = manager.randomNormal(new Shape(32, CLASSES));
        DisturbLabel method = new DisturbLabel(0);
        assertThat(method.targets(y, view(3)).toLongArray()).containsExactly(y.toLongArray());
        assertThat(method.perturb(u, y, view(3)).toFloatArray()).containsExactly(u.toFloatArray());
    }

    @Test
    void theLossIsCrossEntropyAgainstTheDisturbedTargets() {
        try (MethodObjective objective = Configured.objective("method.type=disturb-label",
                "method.disturb-label.alpha=0.5")) {
            NDArray u = manager.randomNormal(new Shape(64, CLASSES));
            NDArray y = labels(64);
            MethodObjective.Result result = objective.compute(u, y, view(5));
            long[] targets = result.targets().toLongArray();
            float[] logits = u.toFloatArray();
            double expected = 0;
            for (int i = 0; i < 64; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < CLASSES; j++) {
                    max = Math.max(max, logits[i * CLASSES + j]);
                }
                double sum = 0;
                for (int j = 0; j < CLASSES; j++) {
                    sum += Math.exp(logits[i * CLASSES + j] - max);
                }
                expected += max + Math.log(sum) - logits[i * CLASSES + (int) targets[i]];
            }
            assertThat((double) result.loss().getFloat()).isCloseTo(expected / 64, within(1e-5));
            assertThat(targets).isNotEqualTo(y.toLongArray());
        }
    }
}
