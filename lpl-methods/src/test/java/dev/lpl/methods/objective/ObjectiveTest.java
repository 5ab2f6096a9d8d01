package dev.lpl.methods.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.train.MethodObjective;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole objectives as a run builds them ({@code Configured.objective}): perturbation, per-sample loss
 * and class weights, {@code Σ w_{y_i}·l_i / Σ w_{y_i}}, against naive double-precision references.
 */
class ObjectiveTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** A random batch: B×C logits (row-major) and labels covering every class. */
    private record Batch(float[] logits, long[] labels, int numClasses) {
        double[] row(int i) {
            double[] r = new double[numClasses];
            for (int j = 0; j < numClasses; j++) {
                r[j] = logits[i * numClasses + j];
            }
            return r;
        }

        int label(int i) {
            return (int) labels[i];
        }
    }

    private static Batch batch(long seed, int batchSize, int numClasses, double scale) {
        Random random = new Random(seed);
        float[] u = new float[batchSize * numClasses];
        for (int n = 0; n < u.length; n++) {
            u[n] = (float) (random.nextGaussian() * scale);
        }
        long[] y = new long[batchSize];
        for (int i = 0; i < batchSize; i++) {
            y[i] = i < numClasses ? i : random.nextInt(numClasses);
        }
        return new Batch(u, y, numClasses);
    }

    private float loss(MethodObjective objective, Batch batch, long[] counts, int epoch, int totalEpochs) {
        NDArray logits = manager.create(batch.logits(), new Shape(batch.labels().length, batch.numClasses()));
        TrainingView view = new TrainingView(counts, epoch, totalEpochs, manager);
        return objective.compute(logits, manager.create(batch.labels()), view).loss().getFloat();
    }

    /** Σ_i w_{y_i}·l_i / Σ_i w_{y_i} (w = null: the plain mean). */
    private static double weightedMean(double[] losses, Batch batch, double[] weights) {
        double numerator = 0;
        double denominator = 0;
        for (int i = 0; i < losses.length; i++) {
            double w = weights == null ? 1 : weights[batch.label(i)];
            numerator += w * losses[i];
            denominator += w;
        }
        return numerator / denominator;
    }

    @Test
    void classBalancedFocalByHand() {
        // n = (2, 1), β = 0.5: w = (0.8, 1.2); γ = 1
        Batch batch = new Batch(new float[] {1f, -1f, 0.5f, 0.2f, -0.3f, 0.8f, 2f, 1f}, new long[] {0, 1, 1, 0}, 2);
        double[] focal = new double[4];
        for (int i = 0; i < 4; i++) {
            double[] u = batch.row(i);
            int y = batch.label(i);
            double p = Math.exp(u[y]) / (Math.exp(u[0]) + Math.exp(u[1]));
            focal[i] = (1 - p) * -Math.log(p);
        }
        double expected = (0.8 * focal[0] + 1.2 * focal[1] + 1.2 * focal[2] + 0.8 * focal[3]) / (0.8 + 1.2 + 1.2 + 0.8);
        try (MethodObjective objective = Configured.objective("method.type=cb-focal",
                "method.weighting.class-balanced.beta=0.5")) {
            assertThat((double) loss(objective, batch, new long[] {2, 1}, 0, 1)).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void classBalancedFocalWithItsDefaultsMatchesTheReference() {
        Batch batch = batch(41, 128, 10, 3);
        long[] counts = ClassWeightingsTest.CIFAR10_LT;
        double[] weights = ClassWeightingsTest.naiveClassBalanced(counts, 0.9999);
        for (double gamma : new double[] {1, 2}) {
            double[] focal = new double[128];
            for (int i = 0; i < 128; i++) {
                focal[i] = FocalLossTest.naiveFocal(batch.row(i), batch.label(i), gamma);
            }
            try (MethodObjective objective = Configured.objective("method.type=cb-focal",
                    "method.loss.focal.gamma=" + gamma)) {
                assertThat((double) loss(objective, batch, counts, 3, 10))
                        .isCloseTo(weightedMean(focal, batch, weights), within(1e-5));
            }
        }
    }

    @Test
    void crossEntropyWithDeferredReweightingSwitchesAt160() {
        Batch batch = batch(42, 64, 10, 2);
        long[] counts = ClassWeightingsTest.CIFAR10_LT;
        double[] ce = new double[64];
        for (int i = 0; i < 64; i++) {
            ce[i] = FocalLossTest.naiveCrossEntropy(batch.row(i), batch.label(i));
        }
        double[] weights = ClassWeightingsTest.naiveClassBalanced(counts, 0.9999);
        try (MethodObjective objective = Configured.objective("method.type=ce-drw")) {
            assertThat((double) loss(objective, batch, counts, 159, 200))
                    .isCloseTo(weightedMean(ce, batch, null), within(1e-5));
            assertThat((double) loss(objective, batch, counts, 160, 200))
                    .isCloseTo(weightedMean(ce, batch, weights), within(1e-5));
        }
        assertThat(weightedMean(ce, batch, weights)).isNotCloseTo(weightedMean(ce, batch, null), within(1e-3));
    }

    @Test
    void ldamDrwIsTheMarginLossThenItsClassBalancedMean() {
        Batch batch = batch(43, 64, 10, 0.5); // cosine-like logits
        long[] counts = ClassWeightingsTest.CIFAR10_LT;
        double[] losses = new double[64];
        for (int i = 0; i < 64; i++) {
            double[] z = batch.row(i);
            int y = batch.label(i);
            double margin = 0.5 * Math.pow((double) counts[9] / counts[y], 0.25);
            z[y] -= margin;
            for (int j = 0; j < z.length; j++) {
                z[j] *= 30;
            }
            losses[i] = FocalLossTest.naiveCrossEntropy(z, y);
        }
        double[] weights = ClassWeightingsTest.naiveClassBalanced(counts, 0.9999);
        assertThat(Configured.config("method.type=ldam-drw").config().getString("model.head")).isEqualTo("cosine");
        try (MethodObjective objective = Configured.objective("method.type=ldam-drw")) {
            assertThat((double) loss(objective, batch, counts, 159, 200))
                    .isCloseTo(weightedMean(losses, batch, null), within(1e-4));
            assertThat((double) loss(objective, batch, counts, 160, 200))
                    .isCloseTo(weightedMean(losses, batch, weights), within(1e-4));
        }
    }
}
