package dev.lpl.methods.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lpl.api.LplException;
import dev.lpl.api.perturbation.TrainingView;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Center loss against a naive double-precision reference of its term, gradient and center updates. */
class CenterLossTest {

    private static final int CLASSES = 4;
    private static final int DIM = 3;
    private static final int BATCH = 10;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private TrainingView view(NDArray features) {
        return new TrainingView(new long[] {40, 20, 10, 5}, 0, 1, manager, features, null);
    }

    /** Naive term λ/2 · (1/B) Σ_i ‖f_i − c_{y_i}‖². */
    static double naiveTerm(double[][] f, int[] y, double[][] c, double lambda) {
        double sum = 0;
        for (int i = 0; i < f.length; i++) {
            for (int d = 0; d < f[i].length; d++) {
                double diff = f[i][d] - c[y[i]][d];
                sum += diff * diff;
            }
        }
        return lambda / 2 * sum / f.length;
    }

    /** Naive Eq. 4, class by class and sample by sample. */
    static void naiveUpdate(double[][] f, int[] y, double[][] c, double alpha) {
        for (int j = 0; j < c.length; j++) {
            int n = 0;
            double[] acc = new double[c[j].length];
            for (int i = 0; i < f.length; i++) {
                if (y[i] == j) {
                    n++;
                    for (int d = 0; d < acc.length; d++) {
                        acc[d] += c[j][d] - f[i][d];
                    }
                }
            }
            for (int d = 0; d < acc.length; d++) {
                c[j][d] -= alpha * acc[d] / (1 + n);
            }
        }
    }

    @Test
    void termAndCentersFollowTheReferenceOverThreeSteps() {
        double lambda = 0.7;
        double alpha = 0.5;
        Random random = new Random(11);
        double[][] centers = new double[CLASSES][DIM];
        try (CenterLoss method = new CenterLoss(lambda, alpha)) {
            for (int step = 0; step < 3; step++) {
                double[][] f = new double[BATCH][DIM];
                float[] flat = new float[BATCH * DIM];
                int[] y = new int[BATCH];
                long[] labels = new long[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    y[i] = random.nextInt(CLASSES - 1); // class 3 never appears: its center stays put
                    labels[i] = y[i];
                    for (int d = 0; d < DIM; d++) {
                        f[i][d] = (float) (random.nextGaussian() + y[i]);
                        flat[i * DIM + d] = (float) f[i][d];
                    }
                }
                NDArray features = manager.create(flat, new Shape(BATCH, DIM));
                float term = method.regularizer(null, manager.create(labels), view(features)).orElseThrow().getFloat();
                assertThat((double) term).as("term at step %d", step)
                        .isCloseTo(naiveTerm(f, y, centers, lambda), within(1e-5));
                naiveUpdate(f, y, centers, alpha);
                float[] got = method.state().get(CenterLoss.CENTERS).toFloatArray();
                for (int j = 0; j < CLASSES; j++) {
                    for (int d = 0; d < DIM; d++) {
                        assertThat((double) got[j * DIM + d]).as("center %d,%d after step %d", j, d, step)
                                .isCloseTo(centers[j][d], within(1e-5));
                    }
                }
            }
            assertThat(centers[3]).containsExactly(0, 0, 0);
        }
    }

    @Test
    void gradientWithRespectToTheFeaturesIsLambdaOverBTimesTheOffset() {
        double lambda = 0.5;
        try (CenterLoss method = new CenterLoss(lambda, 0.5)) {
            NDArray warm = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, DIM));
            method.regularizer(null, manager.create(new long[] {0, 1}), view(warm)); // centers move off zero
            float[] c = method.state().get(CenterLoss.CENTERS).toFloatArray();
            NDArray f = manager.create(new float[] {0.5f, -1, 2, 3, 0, 1}, new Shape(2, DIM));
            f.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(method.regularizer(null, manager.create(new long[] {1, 0}), view(f)).orElseThrow());
            }
            float[] grad = f.getGradient().toFloatArray();
            float[] values = {0.5f, -1, 2, 3, 0, 1};
            int[] y = {1, 0};
            for (int i = 0; i < 2; i++) {
                for (int d = 0; d < DIM; d++) {
                    assertThat(grad[i * DIM + d]).isCloseTo(
                            (float) (lambda / 2 * (values[i * DIM + d] - c[y[i] * DIM + d])), within(1e-5f));
                }
            }
        }
    }

    @Test
    void stateRoundTripsAndIsChecked() {
        try (CenterLoss method = new CenterLoss(1, 0.5); CenterLoss restored = new CenterLoss(1, 0.5)) {
            NDArray f = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, DIM));
            method.regularizer(null, manager.create(new long[] {0, 2}), view(f));
            restored.restoreState(Map.of(CenterLoss.CENTERS, method.state().get(CenterLoss.CENTERS).duplicate()));
            NDArray g = manager.create(new float[] {0, 1, 0, 1, 0, 1}, new Shape(2, DIM));
            float a = method.regularizer(null, manager.create(new long[] {0, 2}), view(g)).orElseThrow().getFloat();
            float b = restored.regularizer(null, manager.create(new long[] {0, 2}), view(g)).orElseThrow().getFloat();
            assertThat(b).isEqualTo(a);
            NDArray wrong = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            assertThatThrownBy(() -> restored.regularizer(null, manager.create(new long[] {0, 1}),
                    new TrainingView(new long[] {5, 5, 5, 5, 5}, 0, 1, manager, wrong, null)))
                    .isInstanceOf(LplException.class).hasMessageContaining("centers");
        }
    }

    @Test
    void withoutFeaturesItSaysWhatIsMissing() {
        try (CenterLoss method = new CenterLoss(1, 0.5)) {
            assertThatThrownBy(() -> method.regularizer(null, manager.create(new long[] {0}),
                    new TrainingView(new long[] {1, 1, 1, 1}, 0, 1, manager)))
                    .isInstanceOf(LplException.class).hasMessageContaining("--features");
        }
    }
}
