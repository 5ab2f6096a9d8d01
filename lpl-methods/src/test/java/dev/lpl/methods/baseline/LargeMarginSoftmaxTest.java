package dev.lpl.methods.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lpl.api.model.HeadType;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.train.MethodObjective;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * L-Softmax against a naive double-precision reference that takes θ with {@code Math.acos} and
 * {@code cos(mθ)} with {@code Math.cos} (not the Chebyshev form of the implementation).
 */
class LargeMarginSoftmaxTest {

    private static final int CLASSES = 5;
    private static final int DIM = 4;
    private static final int BATCH = 16;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** The naive logits of sample i: W_jᵀx for j ≠ y, Eq. 6 for y. */
    static double[] naiveLogits(double[][] w, double[] x, int y, int m, double lambda) {
        double[] out = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            out[j] = dot(w[j], x);
        }
        double norms = Math.sqrt(dot(w[y], w[y])) * Math.sqrt(dot(x, x));
        double theta = Math.acos(Math.max(-1, Math.min(1, out[y] / norms)));
        int k = Math.min(m - 1, (int) Math.floor(m * theta / Math.PI));
        double psi = (k % 2 == 0 ? 1 : -1) * Math.cos(m * theta) - 2 * k;
        out[y] = (lambda * out[y] + norms * psi) / (1 + lambda);
        return out;
    }

    static double naiveLoss(double[][] w, double[][] x, int[] y, int m, double lambda) {
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            double[] u = naiveLogits(w, x[i], y[i], m, lambda);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : u) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : u) {
                sum += Math.exp(v - max);
            }
            total += max + Math.log(sum) - u[y[i]];
        }
        return total / x.length;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            s += a[d] * b[d];
        }
        return s;
    }

    private static float[] flat(double[][] values) {
        float[] out = new float[values.length * values[0].length];
        for (int i = 0; i < values.length; i++) {
            for (int d = 0; d < values[i].length; d++) {
                out[i * values[i].length + d] = (float) values[i][d];
            }
        }
        return out;
    }

    private static double[][] gaussian(Random random, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int d = 0; d < cols; d++) {
                out[i][d] = (float) random.nextGaussian(); // float-representable
            }
        }
        return out;
    }

    private TrainingView view(NDArray x, NDArray w, long iteration) {
        return new TrainingView(new long[] {50, 30, 20, 10, 5}, 0, 1, manager, x, w, iteration, 0);
    }

    @Test
    void matchesTheReferenceForMarginsTwoAndFourAndSeveralLambdas() {
        Random random = new Random(5);
        double[][] w = gaussian(random, CLASSES, DIM);
        double[][] x = gaussian(random, BATCH, DIM);
        int[] y = new int[BATCH];
        long[] labels = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = i % CLASSES;
            labels[i] = y[i];
        }
        NDArray wArray = manager.create(flat(w), new Shape(CLASSES, DIM));
        NDArray xArray = manager.create(flat(x), new Shape(BATCH, DIM));
        NDArray logits = xArray.matMul(wArray.transpose());
        for (int m : new int[] {2, 3, 4}) {
            for (double lambda : new double[] {0, 0.5, 20}) {
                LargeMarginSoftmax method = new LargeMarginSoftmax(m, lambda, 0, 0, 0);
                float[] got = method.perturb(logits, manager.create(labels), view(xArray, wArray, 7)).toFloatArray();
                for (int i = 0; i < BATCH; i++) {
                    double[] expected = naiveLogits(w, x[i], y[i], m, lambda);
                    for (int j = 0; j < CLASSES; j++) {
                        assertThat((double) got[i * CLASSES + j]).as("m %d lambda %s [%d,%d]", m, lambda, i, j)
                                .isCloseTo(expected[j], within(1e-4 * Math.max(1, Math.abs(expected[j]))));
                    }
                }
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheReference() {
        Random random = new Random(9);
        double[][] w = gaussian(random, CLASSES, DIM);
        double[][] x = gaussian(random, BATCH, DIM);
        int[] y = new int[BATCH];
        long[] labels = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = (i * 3) % CLASSES;
            labels[i] = y[i];
        }
        NDArray wArray = manager.create(flat(w), new Shape(CLASSES, DIM));
        NDArray xArray = manager.create(flat(x), new Shape(BATCH, DIM));
        wArray.setRequiresGradient(true);
        xArray.setRequiresGradient(true);
        LargeMarginSoftmax method = new LargeMarginSoftmax(2, 1.5, 0, 0, 0);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = xArray.matMul(wArray.transpose());
            NDArray out = method.perturb(logits, manager.create(labels), view(xArray, wArray, 0));
            collector.backward(MethodObjective.crossEntropy(out, manager.create(labels)));
        }
        float[] gw = wArray.getGradient().toFloatArray();
        float[] gx = xArray.getGradient().toFloatArray();
        double h = 1e-6;
        for (int[] at : new int[][] {{0, 0}, {2, 3}, {4, 1}}) {
            double saved = w[at[0]][at[1]];
            w[at[0]][at[1]] = saved + h;
            double plus = naiveLoss(w, x, y, 2, 1.5);
            w[at[0]][at[1]] = saved - h;
            double minus = naiveLoss(w, x, y, 2, 1.5);
            w[at[0]][at[1]] = saved;
            assertThat((double) gw[at[0] * DIM + at[1]]).as("dL/dW%s", java.util.Arrays.toString(at))
                    .isCloseTo((plus - minus) / (2 * h), within(1e-4));
        }
        for (int[] at : new int[][] {{0, 0}, {7, 2}, {15, 3}}) {
            double saved = x[at[0]][at[1]];
            x[at[0]][at[1]] = saved + h;
            double plus = naiveLoss(w, x, y, 2, 1.5);
            x[at[0]][at[1]] = saved - h;
            double minus = naiveLoss(w, x, y, 2, 1.5);
            x[at[0]][at[1]] = saved;
            assertThat((double) gx[at[0] * DIM + at[1]]).as("dL/dx%s", java.util.Arrays.toString(at))
                    .isCloseTo((plus - minus) / (2 * h), within(1e-4));
        }
    }

    @Test
    void lambdaAnnealsPerIterationAsInTheAuthorsCode() {
        LargeMarginSoftmax method = new LargeMarginSoftmax(2, 1000, 2e-5, 45, 0);
        assertThat(method.lambdaAt(0)).isEqualTo(1000.0);
        assertThat(method.lambdaAt(10_000)).isCloseTo(1000 * Math.pow(1.2, -45), within(1e-9));
        assertThat(new LargeMarginSoftmax(2, 1000, 2e-5, 45, 5).lambdaAt(1_000_000)).isEqualTo(5.0);
        assertThat(method.requiredHead()).contains(HeadType.LINEAR_NO_BIAS);
    }
}
