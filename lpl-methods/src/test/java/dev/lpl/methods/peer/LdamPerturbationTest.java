package dev.lpl.methods.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lpl.api.LplException;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.train.MethodObjective;
import org.junit.jupiter.api.Test;

/** Golden values of LDAM (Cao et al., NeurIPS 2019), computed by hand. */
class LdamPerturbationTest {

    private static final long[] COUNTS = {5000, 500, 50};

    /**
     * m_c = 0.5·(50/n_c)^{1/4}: 0.5·√0.1, 0.5·0.1^{1/4}, 0.5 (the rarest class has the largest).
     */
    private static final double[] MARGINS = {0.15811388300841897, 0.28117066259517454, 0.5};

    @Test
    void marginsFollowTheInverseFourthRootOfTheCountsWithMaximumHalf() {
        LdamPerturbation ldam = (LdamPerturbation) Configured.perturbation("method.type=ldam");
        double[] margins = ldam.margins(COUNTS);
        for (int c = 0; c < 3; c++) {
            assertThat(margins[c]).isCloseTo(MARGINS[c], within(1e-12));
        }
        assertThat(ldam.scale()).isEqualTo(30.0);
        // a class without samples (never a label) gets the largest margin; the others are scaled
        // over the classes with samples: 100^{-1/4} / 1^{-1/4} · 0.5 = 0.5/√10
        assertThat(ldam.margins(new long[] {100, 0, 1})).containsExactly(
                new double[] {0.5 / Math.sqrt(10), 0.5, 0.5}, within(1e-12));
        LdamPerturbation custom = (LdamPerturbation) Configured.perturbation("method.type=ldam",
                "method.ldam.max-margin=1.0", "method.ldam.scale=10");
        assertThat(custom.margins(new long[] {16, 1})).containsExactly(new double[] {0.5, 1.0}, within(1e-12));
    }

    @Test
    void subtractsTheTrueClassMarginAndScales() {
        float[] u = {0.2f, -0.5f, 0.9f, -1f, 0.3f, 0.1f};
        // row 0, y = 0: 30·(0.2 − 0.158114, −0.5, 0.9); row 1, y = 2: 30·(−1, 0.3, 0.1 − 0.5)
        double[] expected = {1.2565835097474312, -15, 27, -30, 9, -12};
        try (NDManager manager = NDManager.newBaseManager();
                Perturbation ldam = Configured.perturbation("method.type=ldam")) {
            TrainingView view = new TrainingView(COUNTS, 0, 1, manager);
            NDArray logits = manager.create(u, new Shape(2, 3));
            for (NDArray labels : new NDArray[] {manager.create(new long[] {0, 2}), manager.create(new int[] {0, 2})}) {
                float[] out = ldam.perturb(logits, labels, view).toFloatArray();
                for (int n = 0; n < u.length; n++) {
                    assertThat((double) out[n]).as("entry %d", n).isCloseTo(expected[n], within(1e-5));
                }
            }
        }
    }

    @Test
    void lossAndGradientMatchANaiveReference() {
        int batch = 5;
        float[] u = {0.3f, -0.2f, 0.9f, -0.7f, 0.1f, 0.4f, 1f, -1f, 0f, 0.5f, 0.5f, -0.5f, -0.9f, 0.2f, 0.6f};
        long[] y = {0, 1, 2, 2, 1};
        try (NDManager manager = NDManager.newBaseManager();
                MethodObjective objective = Configured.objective("method.type=ldam")) {
            NDArray logits = manager.create(u, new Shape(batch, 3));
            logits.setRequiresGradient(true);
            NDArray loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                loss = objective.compute(logits, manager.create(y), new TrainingView(COUNTS, 0, 1, manager)).loss();
                collector.backward(loss);
            }
            float[] gradient = logits.getGradient().toFloatArray();
            double total = 0;
            for (int i = 0; i < batch; i++) {
                double[] z = new double[3];
                for (int j = 0; j < 3; j++) {
                    z[j] = 30 * (u[i * 3 + j] - (j == y[i] ? MARGINS[j] : 0));
                }
                double max = Math.max(z[0], Math.max(z[1], z[2]));
                double sum = 0;
                for (double v : z) {
                    sum += Math.exp(v - max);
                }
                total += max + Math.log(sum) - z[(int) y[i]];
                for (int j = 0; j < 3; j++) {
                    double p = Math.exp(z[j] - max) / sum;
                    double g = 30 * (p - (j == y[i] ? 1 : 0)) / batch; // d mean CE / du = s·(p − e_y)/B
                    assertThat((double) gradient[i * 3 + j]).isCloseTo(g, within(1e-5));
                }
            }
            assertThat((double) loss.getFloat()).isCloseTo(total / batch, within(1e-5));
        }
    }

    @Test
    void predictionsAreTheScaledCosinesSoConfidencesAreThoseTrained() {
        LdamPerturbation ldam = (LdamPerturbation) Configured.perturbation("method.type=ldam");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray cosines = manager.create(new float[] {0.2f, -0.5f, 0.9f, -1f, 0.3f, 0.1f}, new Shape(2, 3));
            float[] scaled = ldam.predictionLogits(cosines, COUNTS).toFloatArray();
            assertThat(scaled).containsExactly(new float[] {6f, -15f, 27f, -30f, 9f, 3f}, within(1e-5f));
            // the argmax is unchanged; the top softmax probability is that of s·u (≈ 1), not of u (≈ 0.49)
            assertThat(ldam.predictionLogits(cosines, COUNTS).argMax(1).toLongArray()).containsExactly(2, 1);
            assertThat(ldam.predictionLogits(cosines, COUNTS).softmax(1).max(new int[] {1}).toFloatArray()[0])
                    .isGreaterThan(0.99f);
        }
    }

    @Test
    void optionsAreValidated() {
        for (String scale : new String[] {"-30", "0"}) {
            assertThatThrownBy(() -> Configured.perturbation("method.type=ldam", "method.ldam.scale=" + scale))
                    .isInstanceOf(LplException.class)
                    .hasMessageContaining("method.ldam.scale")
                    .hasMessageContaining("(0, Infinity)");
        }
        assertThatThrownBy(() -> Configured.perturbation("method.type=ldam", "method.ldam.max-margin=-0.5"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.ldam.max-margin");
    }
}
