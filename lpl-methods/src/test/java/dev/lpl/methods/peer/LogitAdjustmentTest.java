package dev.lpl.methods.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.LplException;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.train.MethodObjective;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Golden values of logit adjustment (Menon et al., ICLR 2021), computed by hand. */
class LogitAdjustmentTest {

    /** Counts 6, 3, 1: π = 0.6, 0.3, 0.1. */
    private static final long[] COUNTS = {6, 3, 1};

    /** log 0.6, log 0.3, log 0.1 (the 1e-12 floor changes them by less than 1e-11). */
    private static final double[] LOG_PRIOR = {-0.5108256237659907, -1.2039728043259361, -2.3025850929940455};

    private static final float[] U = {1.0f, -2.0f, 0.5f, 0.25f, 3.0f, -1.5f};

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray logits() {
        return manager.create(U, new Shape(2, 3));
    }

    private TrainingView view(long[] counts) {
        return new TrainingView(counts, 0, 10, manager);
    }

    private static void assertShifted(float[] actual, double tau) {
        for (int n = 0; n < U.length; n++) {
            assertThat((double) actual[n]).as("entry %d", n).isCloseTo(U[n] + tau * LOG_PRIOR[n % 3], within(1e-5));
        }
    }

    @Test
    void lossModeAddsTauTimesTheLogPriorToEveryLogit() {
        NDArray labels = manager.create(new long[] {0, 2});
        try (Perturbation la = Configured.perturbation("method.type=la")) {
            assertShifted(la.perturb(logits(), labels, view(COUNTS)).toFloatArray(), 1.0);
            NDArray raw = logits();
            assertThat(la.predictionLogits(raw, COUNTS)).isSameAs(raw);
        }
        try (Perturbation la = Configured.perturbation("method.type=la", "method.la.tau=0.5")) {
            assertShifted(la.perturb(logits(), manager.create(new int[] {1, 1}), view(COUNTS)).toFloatArray(), 0.5);
        }
    }

    @Test
    void theShiftDependsOnlyOnTheClassNotOnTheLabel() {
        try (Perturbation la = Configured.perturbation("method.type=la")) {
            float[] a = la.perturb(logits(), manager.create(new long[] {0, 0}), view(COUNTS)).toFloatArray();
            float[] b = la.perturb(logits(), manager.create(new long[] {2, 1}), view(COUNTS)).toFloatArray();
            assertThat(a).containsExactly(b);
        }
    }

    @Test
    void postHocTrainsOnRawLogitsAndPredictsFromUMinusTauLogPrior() {
        try (Perturbation la = Configured.perturbation("method.type=la", "method.la.mode=post-hoc",
                "method.la.tau=2")) {
            NDArray u = logits();
            assertThat(la.perturb(u, manager.create(new long[] {0, 1}), view(COUNTS))).isSameAs(u);
            assertShifted(la.predictionLogits(u, COUNTS).toFloatArray(), -2.0);
            assertThat(u.toFloatArray()).containsExactly(U);
        }
    }

    @Test
    void postHocPresetChangesThePrediction() {
        // u = (1, 0.5, 0): argmax 0; u − log π = (1.511, 1.704, 2.303): argmax 2
        try (MethodObjective objective = Configured.objective("method.type=la-post-hoc")) {
            NDArray u = manager.create(new float[] {1f, 0.5f, 0f}, new Shape(1, 3));
            assertThat(u.argMax(1).getLong()).isZero();
            assertThat(objective.predictionLogits(u, COUNTS).argMax(1).getLong()).isEqualTo(2);
            NDArray loss = objective.compute(u, manager.create(new long[] {1}), view(COUNTS)).loss();
            assertThat(loss.getFloat()).isCloseTo(MethodObjective.crossEntropy(u, manager.create(new long[] {1}))
                    .getFloat(), within(1e-7f));
        }
    }

    @Test
    void anEmptyClassGetsAFiniteShift() {
        try (Perturbation la = Configured.perturbation("method.type=la")) {
            float[] out = la.perturb(logits(), manager.create(new long[] {0, 2}), view(new long[] {5, 0, 5}))
                    .toFloatArray();
            // π = (0.5, 0, 0.5): log(0.5 + 1e-12), log(1e-12) = −27.631021, log(0.5 + 1e-12)
            double[] shift = {-0.6931471805579453, -27.631021115928547, -0.6931471805579453};
            for (int n = 0; n < U.length; n++) {
                assertThat((double) out[n]).isCloseTo(U[n] + shift[n % 3], within(1e-5));
            }
        }
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> Configured.perturbation("method.type=la", "method.la.mode=sideways"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.la.mode")
                .hasMessageContaining("[loss, post-hoc]");
        assertThatThrownBy(() -> Configured.perturbation("method.type=la", "method.la.tau=-1"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.la.tau");
        assertThatThrownBy(() -> Configured.perturbation("method.type=la", "method.la.tau=strong"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.la.tau");
    }
}
