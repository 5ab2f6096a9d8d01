package dev.lpl.methods.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lpl.api.LplException;
import dev.lpl.api.objective.LossFunction;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.train.CrossEntropyLoss;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The softmax focal loss against hand values and a naive double-precision reference. */
class FocalLossTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Naive reference: CE_i = log Σ_j e^{u_j} − u_y (max-shifted), loss (1 − e^{−CE})^γ·CE. */
    static double naiveFocal(double[] u, int y, double gamma) {
        double ce = naiveCrossEntropy(u, y);
        return Math.pow(1 - Math.exp(-ce), gamma) * ce;
    }

    static double naiveCrossEntropy(double[] u, int y) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : u) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : u) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum) - u[y];
    }

    private static LossFunction focal(double gamma) {
        return new FocalLoss.Factory().create(dev.lpl.core.config.TypesafeSettings.parse("gamma = " + gamma));
    }

    @Test
    void matchesHandValues() {
        // u = (2, 0, −1): CE_0 = log(e² + 1 + e⁻¹) − 2 = 0.169846, CE_2 = 3.169846;
        // u = (0.5, −0.3, 1.2, 0.1), y = 1: CE = 2.219101
        NDArray u3 = manager.create(new float[] {2, 0, -1, 2, 0, -1}, new Shape(2, 3));
        NDArray y3 = manager.create(new long[] {0, 2});
        NDArray u4 = manager.create(new float[] {0.5f, -0.3f, 1.2f, 0.1f}, new Shape(1, 4));
        NDArray y4 = manager.create(new long[] {1});
        double[][] expected = {
            {0.0, 0.16984601955628564, 3.1698460195562856, 2.2191007283923123},
            {0.5, 0.0671279227150686, 3.10254892707039, 2.095015822129477},
            {1.0, 0.02653084258207721, 3.03668057863992, 1.9778693408625234},
            {2.0, 0.004144257309967156, 2.909109426703223, 1.7628614507995246},
        };
        for (double[] row : expected) {
            LossFunction loss = focal(row[0]);
            float[] a = loss.perSample(u3, y3).toFloatArray();
            float[] b = loss.perSample(u4, y4).toFloatArray();
            assertThat((double) a[0]).as("gamma %s", row[0]).isCloseTo(row[1], within(1e-5));
            assertThat((double) a[1]).as("gamma %s", row[0]).isCloseTo(row[2], within(1e-5));
            assertThat((double) b[0]).as("gamma %s", row[0]).isCloseTo(row[3], within(1e-5));
        }
    }

    @Test
    void gammaZeroIsCrossEntropy() {
        Random random = new Random(3);
        int batch = 64;
        int classes = 10;
        float[] u = new float[batch * classes];
        for (int n = 0; n < u.length; n++) {
            u[n] = (float) (random.nextGaussian() * 3);
        }
        long[] y = new long[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = random.nextInt(classes);
        }
        NDArray logits = manager.create(u, new Shape(batch, classes));
        NDArray labels = manager.create(y);
        float[] focal = focal(0).perSample(logits, labels).toFloatArray();
        float[] ce = CrossEntropyLoss.INSTANCE.perSample(logits, labels).toFloatArray();
        assertThat(focal).containsExactly(ce, within(1e-6f));
    }

    @Test
    void matchesTheNaiveReferenceOnRandomBatches() {
        Random random = new Random(5);
        int batch = 128;
        int classes = 10;
        float[] u = new float[batch * classes];
        for (int n = 0; n < u.length; n++) {
            u[n] = (float) (random.nextGaussian() * 4);
        }
        long[] y = new long[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = random.nextInt(classes);
        }
        NDArray logits = manager.create(u, new Shape(batch, classes));
        NDArray labels = manager.create(y);
        for (double gamma : new double[] {0.5, 1, 2, 5}) {
            float[] out = focal(gamma).perSample(logits, labels).toFloatArray();
            for (int i = 0; i < batch; i++) {
                double[] row = new double[classes];
                for (int j = 0; j < classes; j++) {
                    row[j] = u[i * classes + j];
                }
                double expected = naiveFocal(row, (int) y[i], gamma);
                assertThat((double) out[i]).as("gamma %s sample %d", gamma, i)
                        .isCloseTo(expected, within(1e-5 * Math.max(1, expected)));
            }
        }
    }

    @Test
    void gradientMatchesCentralDifferencesOfTheReference() {
        double[][] u = {{0.3, -1.2, 2.0, 0.1}, {1.5, 1.4, -0.5, 0.0}, {-2.0, 3.0, 0.5, 1.0}};
        int[] y = {2, 0, 3};
        float[] flat = new float[12];
        for (int n = 0; n < 12; n++) {
            flat[n] = (float) u[n / 4][n % 4];
        }
        for (double gamma : new double[] {0.5, 1, 2}) {
            NDArray logits = manager.create(flat, new Shape(3, 4));
            logits.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(focal(gamma).perSample(logits, manager.create(new long[] {2, 0, 3})).sum());
            }
            float[] gradient = logits.getGradient().toFloatArray();
            double h = 1e-6;
            for (int n = 0; n < 12; n++) {
                int i = n / 4;
                double[] plus = u[i].clone();
                double[] minus = u[i].clone();
                plus[n % 4] += h;
                minus[n % 4] -= h;
                double expected = (naiveFocal(plus, y[i], gamma) - naiveFocal(minus, y[i], gamma)) / (2 * h);
                assertThat((double) gradient[n]).as("gamma %s d/du[%d]", gamma, n).isCloseTo(expected, within(1e-5));
            }
        }
    }

    @Test
    void staysFiniteWithFiniteGradientsForExtremeLogits() {
        // sample 0: the true class wins by 2e4 (p_y = 1 in float: loss 0); sample 1: it loses by 2e4
        // (CE = 2e4); sample 2: a tie of two huge logits
        float[] u = {1e4f, -1e4f, -1e4f, -1e4f, 1e4f, -1e4f, 1e4f, 1e4f, -1e4f};
        long[] y = {0, 0, 1};
        for (double gamma : new double[] {0.25, 0.5, 1, 2}) {
            NDArray logits = manager.create(u, new Shape(3, 3));
            logits.setRequiresGradient(true);
            NDArray perSample;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                perSample = focal(gamma).perSample(logits, manager.create(y));
                collector.backward(perSample.sum());
            }
            float[] values = perSample.toFloatArray();
            assertThat((double) values[0]).as("gamma %s", gamma).isCloseTo(0, within(1e-6));
            assertThat((double) values[1]).as("gamma %s", gamma).isCloseTo(2e4, within(1.0));
            assertThat((double) values[2]).as("gamma %s", gamma)
                    .isCloseTo(Math.pow(0.5, gamma) * Math.log(2), within(1e-5));
            for (float g : logits.getGradient().toFloatArray()) {
                assertThat(Float.isFinite(g)).as("gamma %s: finite gradient", gamma).isTrue();
            }
        }
    }

    @Test
    void gammaMustBeNonNegative() {
        assertThatThrownBy(() -> Configured.objective("method.type=ce", "method.loss.type=focal",
                "method.loss.focal.gamma=-1"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.loss.focal.gamma")
                .hasMessageContaining("[0.0, Infinity]");
    }
}
