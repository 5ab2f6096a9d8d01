package dev.lpl.methods.isda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lpl.api.LplException;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.train.MethodObjective;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Golden tests of ISDA against {@link NaiveIsda}, an independent double-precision reference: the
 * running class covariances and means, δ and the perturbed logits, the λ schedule, the gradient into
 * the classifier weight (against finite differences), detached features, and the state round trip.
 */
class IsdaPerturbationTest {

    private static final double TOLERANCE = 1e-5;
    private static final long[] COUNTS4 = {40, 30, 20, 10};

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** One batch: labels, B×D features (class-dependent means), B×C logits. */
    private record Batch(int[] labels, float[] features, float[] logits, int dimension, int numClasses) {

        int size() {
            return labels.length;
        }
    }

    private static Batch batch(Random random, int[] labels, int dimension, int numClasses) {
        float[] features = new float[labels.length * dimension];
        for (int i = 0; i < labels.length; i++) {
            for (int d = 0; d < dimension; d++) {
                double offset = 0.8 * Math.sin(1.3 * labels[i] + 0.7 * d);
                double scale = 0.5 + 0.2 * ((labels[i] + d) % 3);
                features[i * dimension + d] = (float) (offset + scale * random.nextGaussian());
            }
        }
        float[] logits = new float[labels.length * numClasses];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian();
        }
        return new Batch(labels, features, logits, dimension, numClasses);
    }

    private static float[][] randomWeight(Random random, int numClasses, int dimension, double scale) {
        float[][] w = new float[numClasses][dimension];
        for (float[] row : w) {
            for (int d = 0; d < dimension; d++) {
                row[d] = (float) (scale * random.nextGaussian());
            }
        }
        return w;
    }

    private static double[][] toDouble(float[][] w) {
        double[][] out = new double[w.length][];
        for (int c = 0; c < w.length; c++) {
            out[c] = new double[w[c].length];
            for (int d = 0; d < w[c].length; d++) {
                out[c][d] = w[c][d];
            }
        }
        return out;
    }

    private NDArray weightArray(float[][] w) {
        return weightArray(manager, w);
    }

    private static NDArray weightArray(NDManager on, float[][] w) {
        float[] flat = new float[w.length * w[0].length];
        for (int c = 0; c < w.length; c++) {
            System.arraycopy(w[c], 0, flat, c * w[0].length, w[0].length);
        }
        return on.create(flat, new Shape(w.length, w[0].length));
    }

    private static long[] longs(int[] labels) {
        long[] out = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[i];
        }
        return out;
    }

    private NDArray perturb(Perturbation p, Batch b, NDArray weight, int epoch, int epochs, long[] counts) {
        NDArray features = manager.create(b.features(), new Shape(b.size(), b.dimension()));
        NDArray logits = manager.create(b.logits(), new Shape(b.size(), b.numClasses()));
        TrainingView view = new TrainingView(counts, epoch, epochs, manager, features, weight);
        return p.perturb(logits, manager.create(longs(b.labels())), view);
    }

    private static void assertState(Perturbation p, NaiveIsda naive, int numClasses, int dimension) {
        Map<String, NDArray> state = p.state();
        assertThat(state).containsOnlyKeys("covariance", "mean", "count");
        assertThat(state.get("covariance").getShape()).isEqualTo(new Shape(numClasses, dimension, dimension));
        assertThat(state.get("mean").getShape()).isEqualTo(new Shape(numClasses, dimension));
        assertThat(state.get("count").getShape()).isEqualTo(new Shape(numClasses));
        float[] cov = state.get("covariance").toFloatArray();
        float[] mean = state.get("mean").toFloatArray();
        long[] count = state.get("count").toLongArray();
        for (int c = 0; c < numClasses; c++) {
            assertThat(count[c]).as("count of class %d", c).isEqualTo(naive.count(c));
            double[] expectedMean = naive.mean(c);
            double[][] expectedCov = naive.covariance(c);
            for (int a = 0; a < dimension; a++) {
                assertThat((double) mean[c * dimension + a]).as("mean[%d][%d]", c, a)
                        .isCloseTo(expectedMean[a], within(TOLERANCE));
                for (int d = 0; d < dimension; d++) {
                    assertThat((double) cov[(c * dimension + a) * dimension + d]).as("cov[%d][%d][%d]", c, a, d)
                            .isCloseTo(expectedCov[a][d], within(TOLERANCE));
                }
            }
        }
    }

    private static void assertClose(float[] actual, double[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i], within(tolerance));
        }
    }

    @Test
    void covarianceAndMeanAfterOneBatch() {
        Random random = new Random(1);
        int[] labels = {0, 1, 2, 3, 0, 1, 2, 3, 0, 0, 1, 2};
        Batch b = batch(random, labels, 5, 4);
        NaiveIsda naive = new NaiveIsda(4, 5);
        try (Perturbation p = new IsdaPerturbation(0.5)) {
            assertThat(p.state()).isEmpty();
            perturb(p, b, weightArray(randomWeight(random, 4, 5, 0.3)), 3, 10, COUNTS4);
            naive.add(b.features(), labels);
            assertState(p, naive, 4, 5);
        }
    }

    @Test
    void covarianceAndMeanAfterSeveralBatchesWithAbsentClasses() {
        Random random = new Random(2);
        int[][] batches = {
            {0, 0, 1, 1, 1, 0}, // classes 2, 3 absent
            {2, 0, 2, 1, 0, 2, 0}, // class 3 absent; class 2 seen for the first time (w = 1)
            {3, 3, 3, 3, 3}, // one class only
            {1, 3, 0, 2, 2, 1, 3, 0, 1}, // all present
            {0}, // a batch of one sample
            {2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, // class 2 with one sample (Σ_b = 0)
        };
        NaiveIsda naive = new NaiveIsda(4, 6);
        float[][] w = randomWeight(random, 4, 6, 0.3);
        try (Perturbation p = new IsdaPerturbation(0.5)) {
            for (int[] labels : batches) {
                Batch b = batch(random, labels, 6, 4);
                perturb(p, b, weightArray(w), 4, 10, COUNTS4);
                naive.add(b.features(), labels);
                assertState(p, naive, 4, 6);
            }
        }
    }

    @Test
    void deltaAndPerturbedLogitsMatchTheReference() {
        Random random = new Random(3);
        int numClasses = 5;
        int dimension = 7;
        float[][] w = randomWeight(random, numClasses, dimension, 0.4);
        NaiveIsda naive = new NaiveIsda(numClasses, dimension);
        long[] counts = {50, 40, 30, 20, 10};
        try (Perturbation p = new IsdaPerturbation(0.5)) {
            for (int step = 0; step < 4; step++) {
                int[] labels = new int[16];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = random.nextInt(step == 0 ? 3 : numClasses); // classes 3, 4 absent at first
                }
                Batch b = batch(random, labels, dimension, numClasses);
                NDArray logits = manager.create(b.logits(), new Shape(16, numClasses));
                NDArray out = perturb(p, b, weightArray(w), 7, 10, counts);
                naive.add(b.features(), labels);
                double lambda = 0.5 * 7 / 10;
                assertClose(out.toFloatArray(), naive.perturbed(b.logits(), labels, toDouble(w), lambda), TOLERANCE);
                double[] delta = new double[16 * numClasses];
                for (int i = 0; i < 16; i++) {
                    for (int c = 0; c < numClasses; c++) {
                        delta[i * numClasses + c] = naive.delta(toDouble(w), labels[i], c, lambda);
                    }
                }
                float[] actualDelta = out.sub(logits).toFloatArray();
                assertClose(actualDelta, delta, TOLERANCE);
                for (int i = 0; i < 16; i++) {
                    assertThat(actualDelta[i * numClasses + labels[i]]).as("δ of the true class").isEqualTo(0f);
                    for (int c = 0; c < numClasses; c++) {
                        assertThat(actualDelta[i * numClasses + c]).as("δ ≥ 0 (Σ is PSD)").isGreaterThanOrEqualTo(-1e-6f);
                    }
                }
            }
        }
    }

    @Test
    void lambdaGrowsLinearlyWithTheEpoch() {
        Random random = new Random(4);
        int[] labels = {0, 1, 2, 3, 1, 2, 3, 0, 2, 2};
        Batch b = batch(random, labels, 4, 4);
        float[][] w = randomWeight(random, 4, 4, 0.5);
        NaiveIsda naive = new NaiveIsda(4, 4);
        naive.add(b.features(), labels);
        float[][] deltas = new float[3][];
        int[] epochs = {0, 5, 10};
        for (int e = 0; e < epochs.length; e++) {
            try (IsdaPerturbation p = new IsdaPerturbation(0.5)) {
                assertThat(p.lambdaAt(epochs[e], 10)).isEqualTo(0.5 * epochs[e] / 10);
                NDArray logits = manager.create(b.logits(), new Shape(labels.length, 4));
                NDArray out = perturb(p, b, weightArray(w), epochs[e], 10, COUNTS4);
                deltas[e] = out.sub(logits).toFloatArray();
                double[] expected = naive.perturbed(b.logits(), labels, toDouble(w), 0.5 * epochs[e] / 10);
                assertClose(out.toFloatArray(), expected, TOLERANCE);
                // the covariance is updated at every epoch, λ = 0 included
                assertState(p, naive, 4, 4);
            }
        }
        for (float v : deltas[0]) {
            assertThat(v).isEqualTo(0f);
        }
        for (int i = 0; i < deltas[1].length; i++) {
            assertThat(deltas[2][i]).isCloseTo(2 * deltas[1][i], within(1e-6f));
        }
        assertThat(deltas[2]).satisfies(d -> {
            double max = 0;
            for (float v : d) {
                max = Math.max(max, v);
            }
            assertThat(max).as("a non-trivial δ at the last epoch").isGreaterThan(0.01);
        });
    }

    @Test
    void gradientFlowsIntoTheClassifierWeightAsFiniteDifferencesSay() {
        Random random = new Random(5);
        int numClasses = 3;
        int dimension = 4;
        int[] labels = {0, 1, 2, 0, 1, 0};
        Batch first = batch(random, labels, dimension, numClasses);
        Batch second = batch(random, new int[] {2, 2, 1, 0, 1, 2}, dimension, numClasses);
        float[][] w = randomWeight(random, numClasses, dimension, 0.8);
        NaiveIsda naive = new NaiveIsda(numClasses, dimension);
        long[] counts = {10, 10, 10};
        try (Perturbation p = new IsdaPerturbation(0.5)) {
            perturb(p, first, weightArray(w), 10, 10, counts);
            naive.add(first.features(), labels);
            NDArray weight = weightArray(w);
            weight.setRequiresGradient(true);
            NDArray logits = manager.create(second.logits(), new Shape(6, numClasses));
            logits.setRequiresGradient(true);
            NDArray features = manager.create(second.features(), new Shape(6, dimension));
            TrainingView view = new TrainingView(counts, 10, 10, manager, features, weight);
            NDArray y = manager.create(longs(second.labels()));
            float loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray l = MethodObjective.crossEntropy(p.perturb(logits, y, view), y);
                loss = l.getFloat();
                collector.backward(l);
            }
            naive.add(second.features(), second.labels());
            double[][] wd = toDouble(w);
            assertThat((double) loss).isCloseTo(naive.loss(second.logits(), second.labels(), wd, 0.5), within(TOLERANCE));
            float[] grad = weight.getGradient().toFloatArray();
            double h = 1e-6;
            double largest = 0;
            for (int c = 0; c < numClasses; c++) {
                for (int d = 0; d < dimension; d++) {
                    double saved = wd[c][d];
                    wd[c][d] = saved + h;
                    double up = naive.loss(second.logits(), second.labels(), wd, 0.5);
                    wd[c][d] = saved - h;
                    double down = naive.loss(second.logits(), second.labels(), wd, 0.5);
                    wd[c][d] = saved;
                    double expected = (up - down) / (2 * h);
                    largest = Math.max(largest, Math.abs(expected));
                    assertThat((double) grad[c * dimension + d]).as("dL/dw[%d][%d]", c, d)
                            .isCloseTo(expected, within(TOLERANCE));
                }
            }
            assertThat(largest).as("a gradient worth checking").isGreaterThan(1e-2);
            // the logits' gradient is that of cross-entropy on u + δ: (softmax(u + δ) − e_y) / B
            double[] z = naive.perturbed(second.logits(), second.labels(), wd, 0.5);
            float[] logitGrad = logits.getGradient().toFloatArray();
            for (int i = 0; i < 6; i++) {
                double sum = 0;
                for (int c = 0; c < numClasses; c++) {
                    sum += Math.exp(z[i * numClasses + c]);
                }
                for (int c = 0; c < numClasses; c++) {
                    double expected = (Math.exp(z[i * numClasses + c]) / sum - (second.labels()[i] == c ? 1 : 0)) / 6;
                    assertThat((double) logitGrad[i * numClasses + c]).isCloseTo(expected, within(TOLERANCE));
                }
            }
        }
    }

    @Test
    void featuresAreDetachedFromTheCovariance() {
        Random random = new Random(6);
        int[] labels = {0, 1, 2, 0, 1, 2, 0, 0};
        Batch b = batch(random, labels, 5, 3);
        NDArray weight = weightArray(randomWeight(random, 3, 5, 0.5));
        weight.setRequiresGradient(true);
        NDArray features = manager.create(b.features(), new Shape(8, 5));
        features.setRequiresGradient(true);
        NDArray logits = manager.create(b.logits(), new Shape(8, 3));
        NDArray r = manager.randomNormal(new Shape(8, 3));
        try (Perturbation p = new IsdaPerturbation(0.5)) {
            TrainingView view = new TrainingView(new long[] {5, 5, 5}, 10, 10, manager, features, weight);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = p.perturb(logits, manager.create(longs(labels)), view);
                // the output depends on the features only through the covariance
                collector.backward(out.mul(r).sum());
            }
            assertThat(features.getGradient().abs().max().getFloat()).as("no gradient into the features").isEqualTo(0f);
            assertThat(weight.getGradient().abs().max().getFloat()).as("gradient into w").isGreaterThan(1e-3f);
        }
    }

    @Test
    void aStepScopeFreesTheResultButNotTheState() {
        Random random = new Random(7);
        int[] labels = {0, 1, 2, 1, 0, 2};
        NaiveIsda naive = new NaiveIsda(3, 4);
        float[][] w = randomWeight(random, 3, 4, 0.5);
        try (Perturbation p = new IsdaPerturbation(0.5)) {
            for (int step = 0; step < 3; step++) {
                Batch b = batch(random, labels, 4, 3);
                NDArray out;
                // as TrainingEngine runs a step
                try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
                    scope.suppressNotUsedWarning();
                    NDArray weight = weightArray(m, w);
                    NDArray features = m.create(b.features(), new Shape(6, 4));
                    TrainingView view = new TrainingView(new long[] {5, 5, 5}, 5, 10, m, features, weight);
                    out = p.perturb(m.create(b.logits(), new Shape(6, 3)), m.create(longs(labels)), view);
                    assertThat(out.isReleased()).isFalse();
                }
                assertThat(out.isReleased()).as("the step's scope closes the result").isTrue();
                naive.add(b.features(), labels);
                for (NDArray a : p.state().values()) {
                    assertThat(a.isReleased()).as("the state outlives the step").isFalse();
                }
                assertState(p, naive, 3, 4);
            }
        }
    }

    @Test
    void stateRoundTripReproducesDelta() {
        Random random = new Random(8);
        float[][] w = randomWeight(random, 4, 5, 0.5);
        Batch[] batches = new Batch[4];
        for (int s = 0; s < batches.length; s++) {
            int[] labels = new int[10];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = random.nextInt(4);
            }
            batches[s] = batch(random, labels, 5, 4);
        }
        try (Perturbation original = new IsdaPerturbation(0.5);
                Perturbation fresh = new IsdaPerturbation(0.5);
                Perturbation used = new IsdaPerturbation(0.5)) {
            for (int s = 0; s < 3; s++) {
                perturb(original, batches[s], weightArray(w), 6, 10, COUNTS4);
            }
            perturb(used, batches[3], weightArray(w), 6, 10, COUNTS4); // a state to overwrite
            Map<String, NDArray> saved = new HashMap<>();
            original.state().forEach((k, v) -> saved.put(k, v.duplicate()));
            fresh.restoreState(saved);
            used.restoreState(saved);
            for (Perturbation restored : new Perturbation[] {fresh, used}) {
                for (String key : saved.keySet()) {
                    assertThat(restored.state().get(key).contentEquals(saved.get(key))).as(key).isTrue();
                    assertThat(restored.state().get(key)).as("copied, not shared").isNotSameAs(saved.get(key));
                }
            }
            float[] expected = perturb(original, batches[3], weightArray(w), 6, 10, COUNTS4).toFloatArray();
            assertThat(perturb(fresh, batches[3], weightArray(w), 6, 10, COUNTS4).toFloatArray()).containsExactly(expected);
            assertThat(perturb(used, batches[3], weightArray(w), 6, 10, COUNTS4).toFloatArray()).containsExactly(expected);
            for (String key : saved.keySet()) {
                assertThat(fresh.state().get(key).contentEquals(original.state().get(key))).as(key).isTrue();
            }
            // an empty state (saved before any batch) resets
            fresh.restoreState(Map.of());
            assertThat(fresh.state()).isEmpty();
        }
    }

    @Test
    void restoreRejectsStateOfTheWrongShape() {
        try (Perturbation p = new IsdaPerturbation(0.5)) {
            Map<String, NDArray> good = new LinkedHashMap<>();
            good.put("covariance", manager.zeros(new Shape(4, 5, 5)));
            good.put("mean", manager.zeros(new Shape(4, 5)));
            good.put("count", manager.zeros(new Shape(4), DataType.INT64));
            Map<String, NDArray> missing = new HashMap<>(good);
            missing.remove("count");
            assertThatThrownBy(() -> p.restoreState(missing)).isInstanceOf(LplException.class)
                    .hasMessageContaining("covariance");
            Map<String, NDArray> notSquare = new HashMap<>(good);
            notSquare.put("covariance", manager.zeros(new Shape(4, 5, 6)));
            assertThatThrownBy(() -> p.restoreState(notSquare)).isInstanceOf(LplException.class)
                    .hasMessageContaining("C×D×D");
            Map<String, NDArray> badMean = new HashMap<>(good);
            badMean.put("mean", manager.zeros(new Shape(3, 5)));
            assertThatThrownBy(() -> p.restoreState(badMean)).isInstanceOf(LplException.class)
                    .hasMessageContaining("mean");
            Map<String, NDArray> badCount = new HashMap<>(good);
            badCount.put("count", manager.zeros(new Shape(5), DataType.INT64));
            assertThatThrownBy(() -> p.restoreState(badCount)).isInstanceOf(LplException.class)
                    .hasMessageContaining("count");
            assertThat(p.state()).isEmpty();

            // a state for C = 4, D = 5 restored, then a batch of C = 3 classes
            p.restoreState(good);
            Random random = new Random(9);
            Batch b = batch(random, new int[] {0, 1, 2}, 5, 3);
            NDArray w3 = weightArray(randomWeight(random, 3, 5, 0.5));
            assertThatThrownBy(() -> perturb(p, b, w3, 5, 10, new long[] {1, 1, 1}))
                    .isInstanceOf(LplException.class).hasMessageContaining("C = 4");
            // restoring into a live state of other dimensions
            Map<String, NDArray> other = new LinkedHashMap<>();
            other.put("covariance", manager.zeros(new Shape(4, 6, 6)));
            other.put("mean", manager.zeros(new Shape(4, 6)));
            other.put("count", manager.zeros(new Shape(4), DataType.INT64));
            assertThatThrownBy(() -> p.restoreState(other)).isInstanceOf(LplException.class)
                    .hasMessageContaining("D = 6");
        }
    }

    @Test
    void needsFeaturesAndALinearClassifier() {
        Random random = new Random(10);
        Batch b = batch(random, new int[] {0, 1, 2}, 4, 3);
        NDArray logits = manager.create(b.logits(), new Shape(3, 3));
        NDArray labels = manager.create(longs(b.labels()));
        NDArray features = manager.create(b.features(), new Shape(3, 4));
        NDArray weight = weightArray(randomWeight(random, 3, 4, 0.5));
        long[] counts = {1, 1, 1};
        try (Perturbation p = new IsdaPerturbation(0.5)) {
            assertThatThrownBy(() -> p.perturb(logits, labels, new TrainingView(counts, 1, 10, manager)))
                    .isInstanceOf(LplException.class).hasMessageContaining("model.head = linear");
            assertThatThrownBy(() -> p.perturb(logits, labels, new TrainingView(counts, 1, 10, manager, null, weight)))
                    .isInstanceOf(LplException.class).hasMessageContaining("linear classifier");
            assertThatThrownBy(() -> p.perturb(logits, labels, new TrainingView(counts, 1, 10, manager, features, null)))
                    .isInstanceOf(LplException.class).hasMessageContaining("linear classifier");
            NDArray wrongFeatures = manager.zeros(new Shape(3, 5));
            assertThatThrownBy(() -> p.perturb(logits, labels,
                    new TrainingView(counts, 1, 10, manager, wrongFeatures, weight)))
                    .isInstanceOf(LplException.class).hasMessageContaining("D = 4");
        }
    }

    @Test
    void acceptsInt32LabelsAndFourDimensionalFeatures() {
        Random random = new Random(11);
        int[] labels = {0, 1, 2, 2};
        Batch b = batch(random, labels, 4, 3);
        float[][] w = randomWeight(random, 3, 4, 0.5);
        NaiveIsda naive = new NaiveIsda(3, 4);
        naive.add(b.features(), labels);
        try (Perturbation p = new IsdaPerturbation(0.5)) {
            NDArray features = manager.create(b.features(), new Shape(4, 4, 1, 1));
            TrainingView view = new TrainingView(new long[] {1, 1, 2}, 8, 10, manager, features, weightArray(w));
            NDArray out = p.perturb(manager.create(b.logits(), new Shape(4, 3)),
                    manager.create(labels), view);
            assertThat(manager.create(labels).getDataType()).isEqualTo(DataType.INT32);
            assertClose(out.toFloatArray(), naive.perturbed(b.logits(), labels, toDouble(w), 0.4), TOLERANCE);
        }
    }

    @Test
    void isConfiguredWithLambda() {
        try (Perturbation p = Configured.perturbation("method.type=isda")) {
            assertThat(p).isInstanceOf(IsdaPerturbation.class);
            assertThat(((IsdaPerturbation) p).lambda()).isEqualTo(0.5);
        }
        try (Perturbation p = Configured.perturbation("method.type=isda", "method.isda.lambda=7.5")) {
            assertThat(((IsdaPerturbation) p).lambda()).isEqualTo(7.5);
        }
        assertThatThrownBy(() -> Configured.perturbation("method.type=isda", "method.isda.lambda=-0.1"))
                .isInstanceOf(LplException.class).hasMessageContaining("method.isda.lambda");
    }
}
