package dev.lpl.methods.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.LplException;
import dev.lpl.core.config.TypesafeSettings;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.train.MethodObjective;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Lq loss against a naive double-precision reference and its limits. */
class LqLossTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Naive reference: p_y = e^{u_y} / Σ_j e^{u_j} directly, then (1 − p_y^q)/q. */
    static double naiveLq(double[] u, int y, double q) {
        double sum = 0;
        for (double v : u) {
            sum += Math.exp(v);
        }
        double p = Math.exp(u[y]) / sum;
        return (1 - Math.pow(p, q)) / q;
    }

    @Test
    void matchesHandValues() {
        // u = (2, 1, 0), y = 0: p = e²/(e² + e + 1) = 0.665241; q = 0.4: (1 − 0.665241^0.4)/0.4 = 0.376112
        NDArray u = manager.create(new float[] {2, 1, 0}, new Shape(1, 3));
        float value = new LqLoss(0.4).perSample(u, manager.create(new long[] {0})).getFloat();
        assertThat(value).isCloseTo(0.376112f, within(1e-5f));
        // q = 1: 1 − p
        assertThat(new LqLoss(1).perSample(u, manager.create(new long[] {0})).getFloat())
                .isCloseTo(1 - 0.665241f, within(1e-5f));
    }

    @Test
    void matchesTheNaiveReferenceOnRandomBatches() {
        Random random = new Random(3);
        int batch = 32;
        int classes = 10;
        for (double q : new double[] {0.1, 0.4, 0.7, 1.0}) {
            float[] values = new float[batch * classes];
            long[] labels = new long[batch];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (3 * random.nextGaussian());
            }
            for (int i = 0; i < batch; i++) {
                labels[i] = random.nextInt(classes);
            }
            float[] got = new LqLoss(q).perSample(manager.create(values, new Shape(batch, classes)),
                    manager.create(labels)).toFloatArray();
            for (int i = 0; i < batch; i++) {
                double[] row = new double[classes];
                for (int j = 0; j < classes; j++) {
                    row[j] = values[i * classes + j];
                }
                assertThat((double) got[i]).as("q %s sample %d", q, i)
                        .isCloseTo(naiveLq(row, (int) labels[i], q), within(1e-5));
            }
        }
    }

    @Test
    void approachesCrossEntropyAsQGoesToZero() {
        NDArray u = manager.create(new float[] {0.5f, -1, 2, 0}, new Shape(1, 4));
        NDArray y = manager.create(new long[] {1});
        float ce = MethodObjective.crossEntropy(u, y).getFloat();
        assertThat(new LqLoss(1e-4).perSample(u, y).getFloat()).isCloseTo(ce, within(1e-3f));
    }

    @Test
    void staysFiniteForExtremeLogits() {
        NDArray u = manager.create(new float[] {1e4f, -1e4f, 0, 1e4f, -1e4f, 0}, new Shape(2, 3));
        float[] values = new LqLoss(0.4).perSample(u, manager.create(new long[] {1, 0})).toFloatArray();
        assertThat(values[0]).isCloseTo(2.5f, within(1e-6f)); // p_y = 0: 1/q
        assertThat(values[1]).isCloseTo(0f, within(1e-6f)); // p_y = 1
    }

    @Test
    void isSelectedByThePresetAndRefusesQZero() {
        try (MethodObjective objective = Configured.objective("method.type=lq")) {
            NDArray u = manager.create(new float[] {2, 1, 0}, new Shape(1, 3));
            var view = new dev.lpl.api.perturbation.TrainingView(new long[] {5, 5, 5}, 0, 1, manager);
            assertThat(objective.compute(u, manager.create(new long[] {0}), view).loss().getFloat())
                    .isCloseTo(0.376112f, within(1e-5f));
        }
        assertThatThrownBy(() -> new LqLoss.Factory().create(TypesafeSettings.parse("q = 0")))
                .isInstanceOf(LplException.class).hasMessageContaining("cross-entropy");
    }
}
