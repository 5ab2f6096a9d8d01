package dev.lpl.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.train.MethodObjective;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Perturbation} must meet, as a test class that each plugin extends
 * (it ships in lpl-core's test-jar): output shape, finite output for extreme logits (±1e4), classes
 * absent from the batch, a batch of one class, C = 100 with B = 128, zero perturbation when the
 * method's magnitude is zero, determinism, and no gradient through δ where δ is detached.
 *
 * <p>Views carry penultimate features (D = 8) and a C×D classifier weight, so methods that need
 * them (ISDA) run too. Class counts are long-tailed (500 … 5).
 */
public abstract class PerturbationContract {

    /** Feature dimension of the views built here. */
    protected static final int FEATURES = 8;

    private NDManager manager;

    /**
     * Creates the method as users configure it by default.
     *
     * @return a new instance
     */
    protected abstract Perturbation create();

    /**
     * Creates the method with its magnitude set to zero (bound 0, margin 0, λ 0, …), which must
     * leave the logits unchanged up to the method's logit scale.
     *
     * @return a new instance
     */
    protected abstract Perturbation createWithZeroMagnitude();

    /**
     * Returns whether δ is a constant for autograd (Algorithm 1), so the gradient of any function
     * of the output with respect to the logits is that of the unperturbed function times the
     * logit scale.
     *
     * @return true if δ is detached
     */
    protected boolean detachedDelta() {
        return true;
    }

    /**
     * Returns the factor by which the method scales the logits (LDAM's s; 1 for additive methods).
     *
     * @return the scale
     */
    protected double logitScale() {
        return 1.0;
    }

    /**
     * Returns the epoch the contract's views are at (methods whose magnitude grows with the epoch,
     * such as ISDA's λ, need one past 0).
     *
     * @return the 0-based epoch, less than {@link #totalEpochs()}
     */
    protected int epoch() {
        return 5;
    }

    /**
     * Returns the epochs of the contract's views.
     *
     * @return the number of epochs
     */
    protected int totalEpochs() {
        return 10;
    }

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(7);
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /**
     * Returns the test's manager.
     *
     * @return the manager, closed after each test
     */
    protected NDManager manager() {
        return manager;
    }

    /**
     * Builds long-tailed class counts 500 … 5.
     *
     * @param numClasses C
     * @return the counts
     */
    protected static long[] longTailCounts(int numClasses) {
        long[] counts = new long[numClasses];
        for (int c = 0; c < numClasses; c++) {
            counts[c] = Math.max(5, Math.round(500 * Math.pow(100, -(double) c / Math.max(1, numClasses - 1))));
        }
        return counts;
    }

    /**
     * Builds a view with features and a classifier weight.
     *
     * @param numClasses C
     * @param batch B
     * @param seed the random seed of the features and weight
     * @return the view
     */
    protected TrainingView view(int numClasses, int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        NDArray features = manager.create(gaussian(random, batch * FEATURES, 1.0), new Shape(batch, FEATURES));
        NDArray weight = manager.create(gaussian(random, numClasses * FEATURES, 0.3), new Shape(numClasses, FEATURES));
        return new TrainingView(longTailCounts(numClasses), epoch(), totalEpochs(), manager, features, weight,
                iteration(), seed);
    }

    /**
     * Random logits.
     *
     * @param random the random source
     * @param batch B
     * @param numClasses C
     * @param scale the standard deviation
     * @return B×C logits
     */
    protected NDArray logits(SplittableRandom random, int batch, int numClasses, double scale) {
        return manager.create(gaussian(random, batch * numClasses, scale), new Shape(batch, numClasses));
    }

    /**
     * Labels {@code i mod classes}.
     *
     * @param batch B
     * @param classes the number of distinct labels used
     * @return int64 labels
     */
    protected NDArray labels(int batch, int classes) {
        long[] y = new long[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = i % classes;
        }
        return manager.create(y);
    }

    private static float[] gaussian(SplittableRandom random, int n, double scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            // Box–Muller; enough for test inputs
            double u1 = 1 - random.nextDouble();
            double u2 = random.nextDouble();
            values[i] = (float) (scale * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return values;
    }

    private static void assertFinite(float[] values) {
        for (float v : values) {
            assertThat(Float.isFinite(v)).as("finite output").isTrue();
        }
    }

    /**
     * Returns the iteration of the contract's views (for methods with a per-iteration schedule).
     *
     * @return the 0-based iteration; 100 unless overridden
     */
    protected long iteration() {
        return 100;
    }

    @Test
    void targetsAreLabelsInRangeAndReproducible() {
        try (Perturbation p = create()) {
            NDArray y = labels(64, 10);
            long[] first = p.targets(y, view(10, 64, 11)).toType(ai.djl.ndarray.types.DataType.INT64, false)
                    .toLongArray();
            long[] again = p.targets(y, view(10, 64, 11)).toType(ai.djl.ndarray.types.DataType.INT64, false)
                    .toLongArray();
            assertThat(first).hasSize(64).containsExactly(again);
            for (long target : first) {
                assertThat(target).isBetween(0L, 9L);
            }
        }
    }

    @Test
    void regularizerIsAFiniteScalarWhenPresent() {
        try (Perturbation p = create()) {
            NDArray u = logits(new SplittableRandom(12), 16, 10, 2);
            java.util.Optional<NDArray> term = p.regularizer(u, labels(16, 10), view(10, 16, 12));
            term.ifPresent(t -> {
                assertThat(t.getShape().size()).isEqualTo(1);
                assertThat(Float.isFinite(t.toFloatArray()[0])).as("finite regulariser").isTrue();
            });
        }
    }

    @Test
    void keepsTheShapeOfTheLogits() {
        try (Perturbation p = create()) {
            NDArray u = logits(new SplittableRandom(1), 16, 10, 2);
            NDArray out = p.perturb(u, labels(16, 10), view(10, 16, 1));
            assertThat(out.getShape()).isEqualTo(new Shape(16, 10));
            assertFinite(out.toFloatArray());
        }
    }

    @Test
    void staysFiniteForExtremeLogits() {
        try (Perturbation p = create()) {
            float[] values = new float[16 * 10];
            for (int i = 0; i < values.length; i++) {
                values[i] = (i * 7 % 3 - 1) * 1e4f;
            }
            NDArray u = manager.create(values, new Shape(16, 10));
            NDArray out = p.perturb(u, labels(16, 10), view(10, 16, 2));
            assertFinite(out.toFloatArray());
            NDArray loss = MethodObjective.crossEntropy(out, labels(16, 10));
            assertThat(Float.isFinite(loss.getFloat())).as("finite loss").isTrue();
        }
    }

    @Test
    void handlesClassesAbsentFromTheBatch() {
        try (Perturbation p = create()) {
            NDArray u = logits(new SplittableRandom(3), 12, 10, 2);
            NDArray out = p.perturb(u, labels(12, 3), view(10, 12, 3)); // classes 3..9 absent
            assertThat(out.getShape()).isEqualTo(new Shape(12, 10));
            assertFinite(out.toFloatArray());
        }
    }

    @Test
    void handlesABatchOfOneClass() {
        try (Perturbation p = create()) {
            NDArray u = logits(new SplittableRandom(4), 9, 10, 2);
            NDArray out = p.perturb(u, manager.create(new long[] {7, 7, 7, 7, 7, 7, 7, 7, 7}), view(10, 9, 4));
            assertFinite(out.toFloatArray());
            float[] delta = out.sub(u.mul(logitScale())).toFloatArray();
            for (int i = 1; i < 9; i++) {
                for (int j = 0; j < 10; j++) {
                    if (isAdditivePerClass()) {
                        assertThat(delta[i * 10 + j]).isCloseTo(delta[j], within(1e-4f));
                    }
                }
            }
        }
    }

    /**
     * Returns whether every sample of a class gets the same δ (all class-level methods but those
     * whose δ depends on the sample's features).
     *
     * @return true for class-level additive methods
     */
    protected boolean isAdditivePerClass() {
        return true;
    }

    @Test
    void scalesToOneHundredClassesAndBatch128() {
        try (Perturbation p = create()) {
            NDArray u = logits(new SplittableRandom(5), 128, 100, 3);
            NDArray out = p.perturb(u, labels(128, 100), view(100, 128, 5));
            assertThat(out.getShape()).isEqualTo(new Shape(128, 100));
            assertFinite(out.toFloatArray());
        }
    }

    @Test
    void zeroMagnitudeLeavesTheLogits() {
        try (Perturbation p = createWithZeroMagnitude()) {
            NDArray u = logits(new SplittableRandom(6), 16, 10, 2);
            float[] out = p.perturb(u, labels(16, 10), view(10, 16, 6)).toFloatArray();
            float[] expected = u.mul(logitScale()).toFloatArray();
            for (int i = 0; i < out.length; i++) {
                assertThat(out[i]).isCloseTo(expected[i], within(1e-5f * (float) Math.max(1, logitScale())));
            }
        }
    }

    @Test
    void isDeterministic() {
        try (Perturbation a = create(); Perturbation b = create()) {
            NDArray u = logits(new SplittableRandom(8), 32, 10, 2);
            NDArray y = labels(32, 10);
            float[] first = a.perturb(u, y, view(10, 32, 8)).toFloatArray();
            float[] second = b.perturb(u, y, view(10, 32, 8)).toFloatArray();
            assertThat(second).containsExactly(first);
        }
    }

    @Test
    void noGradientFlowsThroughADetachedDelta() {
        if (!detachedDelta()) {
            return;
        }
        try (Perturbation p = create()) {
            NDArray u = logits(new SplittableRandom(9), 16, 10, 2);
            u.setRequiresGradient(true);
            NDArray r = logits(new SplittableRandom(10), 16, 10, 1);
            TrainingView view = view(10, 16, 9);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = p.perturb(u, labels(16, 10), view);
                collector.backward(out.mul(r).sum());
            }
            float[] grad = u.getGradient().toFloatArray();
            float[] expected = r.mul(logitScale()).toFloatArray();
            for (int i = 0; i < grad.length; i++) {
                assertThat(grad[i]).isCloseTo(expected[i], within(1e-4f));
            }
        }
    }
}
