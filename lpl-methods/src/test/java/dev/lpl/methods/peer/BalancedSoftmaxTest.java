package dev.lpl.methods.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.train.MethodObjective;
import org.junit.jupiter.api.Test;

/** Golden values of Balanced Softmax (Ren et al., NeurIPS 2020), computed by hand. */
class BalancedSoftmaxTest {

    private static final long[] COUNTS = {5000, 500, 50};

    /** log 5000, log 500, log 50. */
    private static final double[] LOG_COUNTS = {8.517193191416238, 6.214608098422191, 3.912023005428146};

    @Test
    void addsTheLogCountsToEveryLogit() {
        float[] u = {0.5f, -1f, 2f, 0f, 0.25f, -0.75f};
        try (NDManager manager = NDManager.newBaseManager();
                Perturbation bs = Configured.perturbation("method.type=balanced-softmax")) {
            NDArray logits = manager.create(u, new Shape(2, 3));
            float[] out = bs.perturb(logits, manager.create(new long[] {2, 0}),
                    new TrainingView(COUNTS, 0, 1, manager)).toFloatArray();
            for (int n = 0; n < u.length; n++) {
                assertThat((double) out[n]).isCloseTo(u[n] + LOG_COUNTS[n % 3], within(1e-5));
            }
            assertThat(bs.predictionLogits(logits, COUNTS)).isSameAs(logits);
        }
    }

    @Test
    void hasTheLossOfLogitAdjustmentWithTauOne() {
        // log n_c = log π_c + log N: the same CE, since softmax ignores a shared shift
        float[] u = {0.5f, -1f, 2f, 0f, 0.25f, -0.75f, 1f, 1f, -2f};
        try (NDManager manager = NDManager.newBaseManager();
                MethodObjective bs = Configured.objective("method.type=balanced-softmax");
                MethodObjective la = Configured.objective("method.type=la")) {
            NDArray logits = manager.create(u, new Shape(3, 3));
            NDArray labels = manager.create(new long[] {2, 0, 1});
            TrainingView view = new TrainingView(COUNTS, 0, 1, manager);
            float a = bs.compute(logits, labels, view).loss().getFloat();
            float b = la.compute(logits, labels, view).loss().getFloat();
            assertThat(a).isCloseTo(b, within(1e-5f));
            // and by hand: CE of row 0 = log Σ exp(u_j + log n_j) − (u_2 + log n_2)
            double row0 = Math.log(Math.exp(0.5 + LOG_COUNTS[0]) + Math.exp(-1 + LOG_COUNTS[1])
                    + Math.exp(2 + LOG_COUNTS[2])) - (2 + LOG_COUNTS[2]);
            double row1 = Math.log(Math.exp(0 + LOG_COUNTS[0]) + Math.exp(0.25 + LOG_COUNTS[1])
                    + Math.exp(-0.75 + LOG_COUNTS[2])) - (0 + LOG_COUNTS[0]);
            double row2 = Math.log(Math.exp(1 + LOG_COUNTS[0]) + Math.exp(1 + LOG_COUNTS[1])
                    + Math.exp(-2 + LOG_COUNTS[2])) - (1 + LOG_COUNTS[1]);
            assertThat((double) a).isCloseTo((row0 + row1 + row2) / 3, within(1e-5));
        }
    }
}
