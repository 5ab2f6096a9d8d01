package dev.lpl.methods.isda;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.LplException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * ISDA's online estimate of every class's feature covariance (Wang et al., NeurIPS 2019; the
 * {@code EstimatorCV} of the authors' {@code ISDA.py}): a C×D×D covariance Σ, a C×D mean μ and the C
 * sample counts N merged so far, kept in arrays of its own manager (never of a step's manager, and
 * unregistered from any {@link NDScope}) so their memory does not grow per step.
 *
 * <p>Per batch, for every class c with {@code n_b > 0} samples in it, with batch mean {@code μ_b},
 * biased batch covariance {@code Σ_b = (1/n_b) Σ_i (f_i − μ_b)(f_i − μ_b)ᵀ} and {@code w = n_b / (n_b
 * + N)}:
 *
 * <pre>
 *   Σ ← (1 − w)·Σ + w·Σ_b + w(1 − w)·(μ − μ_b)(μ − μ_b)ᵀ     (μ the mean before this batch)
 *   μ ← (1 − w)·μ + w·μ_b
 *   N ← N + n_b
 * </pre>
 *
 * <p>This is exactly the reference code's form ({@code weight_CV = n_b/(n_b + Amount)}, the old
 * {@code Ave} in {@code additional_CV}, {@code Ave} and {@code Amount} updated afterwards), i.e. the
 * exact pooled biased covariance of all features seen so far. Classes absent from the batch are left
 * untouched (the reference sets their weight to 0). Unlike the reference, the counts are exact
 * integers (int64) and w is computed in double precision on the host.
 *
 * <p>The merge touches only the present classes: their rows are gathered (a fresh copy), updated with
 * one batched matrix product ({@code ZᵀZ = w·Σ_b + w(1−w)(μ−μ_b)(μ−μ_b)ᵀ}, see {@link BatchGroups})
 * and two in-place element-wise operations on that copy, and written back in place. The copy is what
 * δ is computed from, so no tensor saved for autograd is ever modified in place. The features must
 * already be detached.
 */
final class ClassCovariance implements AutoCloseable {

    static final String COVARIANCE = "covariance";
    static final String MEAN = "mean";
    static final String COUNT = "count";
    private static final Set<String> KEYS = Set.of(COVARIANCE, MEAN, COUNT);

    private final NDManager manager;
    private final int numClasses;
    private final int dimension;
    private final NDArray covariance;
    private final NDArray mean;
    private final NDArray count;
    private final long[] seen;

    private ClassCovariance(NDManager manager, NDArray covariance, NDArray mean, NDArray count, long[] seen) {
        this.manager = manager;
        this.covariance = covariance;
        this.mean = mean;
        this.count = count;
        this.seen = seen;
        this.numClasses = Math.toIntExact(covariance.getShape().get(0));
        this.dimension = Math.toIntExact(covariance.getShape().get(1));
        NDScope.unregister(covariance, mean, count);
    }

    /**
     * Creates a zero state.
     *
     * @param device where the state lives
     * @param engineName the engine of the arrays
     * @param numClasses C
     * @param dimension D
     * @return the state
     */
    static ClassCovariance zeros(Device device, String engineName, int numClasses, int dimension) {
        NDManager manager = NDManager.newBaseManager(device, engineName);
        NDArray covariance = manager.zeros(new Shape(numClasses, dimension, dimension), DataType.FLOAT32);
        NDArray mean = manager.zeros(new Shape(numClasses, dimension), DataType.FLOAT32);
        NDArray count = manager.zeros(new Shape(numClasses), DataType.INT64);
        return new ClassCovariance(manager, covariance, mean, count, new long[numClasses]);
    }

    /**
     * Creates a state holding copies of saved arrays, on {@code device}.
     *
     * @param saved the arrays by name ({@code covariance}, {@code mean}, {@code count})
     * @param device where the state lives
     * @param engineName the engine of the arrays
     * @return the state
     * @throws LplException if the arrays do not form a state
     */
    static ClassCovariance copyOf(Map<String, NDArray> saved, Device device, String engineName) {
        checkShapes(saved);
        NDManager manager = NDManager.newBaseManager(device, engineName);
        try {
            NDArray covariance = copy(saved.get(COVARIANCE), DataType.FLOAT32, manager);
            NDArray mean = copy(saved.get(MEAN), DataType.FLOAT32, manager);
            NDArray count = copy(saved.get(COUNT), DataType.INT64, manager);
            long[] seen = count.toLongArray();
            for (long n : seen) {
                if (n < 0) {
                    throw new LplException("ISDA state: count holds a negative value " + n);
                }
            }
            return new ClassCovariance(manager, covariance, mean, count, seen);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Returns the shape (C, D) the saved arrays describe, checking names and shapes.
     *
     * @param saved the arrays by name
     * @return (C, D)
     * @throws LplException if they are not {@code covariance} C×D×D, {@code mean} C×D and {@code
     *     count} C
     */
    static Shape checkShapes(Map<String, NDArray> saved) {
        if (!saved.keySet().equals(KEYS)) {
            throw new LplException("ISDA state must hold exactly " + COVARIANCE + " (C×D×D), " + MEAN + " (C×D) and "
                    + COUNT + " (C), got " + saved.keySet());
        }
        Shape cov = saved.get(COVARIANCE).getShape();
        Shape mean = saved.get(MEAN).getShape();
        Shape count = saved.get(COUNT).getShape();
        if (cov.dimension() != 3 || cov.get(1) != cov.get(2) || cov.get(0) < 1 || cov.get(1) < 1) {
            throw new LplException("ISDA state: covariance must be C×D×D, got " + cov);
        }
        Shape expectedMean = new Shape(cov.get(0), cov.get(1));
        if (!mean.equals(expectedMean)) {
            throw new LplException("ISDA state: mean must be " + expectedMean + " to match covariance " + cov
                    + ", got " + mean);
        }
        if (!count.equals(new Shape(cov.get(0)))) {
            throw new LplException("ISDA state: count must be (" + cov.get(0) + ") to match covariance " + cov
                    + ", got " + count);
        }
        return expectedMean;
    }

    private static NDArray copy(NDArray source, DataType type, NDManager manager) {
        if (source.getDataType() == DataType.STRING || source.getDataType() == DataType.BOOLEAN) {
            throw new LplException("ISDA state: " + source.getName() + " has type " + source.getDataType());
        }
        NDArray converted = source.toType(type, true);
        NDArray moved = converted.toDevice(manager.getDevice(), false);
        if (moved != converted) {
            converted.close();
        }
        moved.attach(manager);
        NDScope.unregister(moved);
        return moved;
    }

    /**
     * Copies values into this state (the arrays stay the same objects).
     *
     * @param saved arrays of this state's shapes
     * @throws LplException if the shapes differ
     */
    void copyFrom(Map<String, NDArray> saved) {
        Shape shape = checkShapes(saved);
        if (shape.get(0) != numClasses || shape.get(1) != dimension) {
            throw new LplException("ISDA state: the checkpoint is for C = " + shape.get(0) + ", D = " + shape.get(1)
                    + " but this run has C = " + numClasses + ", D = " + dimension);
        }
        try (NDManager temporary = manager.newSubManager()) {
            NDArray cov = copy(saved.get(COVARIANCE), DataType.FLOAT32, temporary);
            NDArray mu = copy(saved.get(MEAN), DataType.FLOAT32, temporary);
            NDArray n = copy(saved.get(COUNT), DataType.INT64, temporary);
            long[] values = n.toLongArray();
            for (long v : values) {
                if (v < 0) {
                    throw new LplException("ISDA state: count holds a negative value " + v);
                }
            }
            NDIndex all = new NDIndex("...");
            covariance.set(all, cov);
            mean.set(all, mu);
            count.set(all, n);
            System.arraycopy(values, 0, seen, 0, numClasses);
        }
    }

    /**
     * Merges a batch into the state and returns the updated covariance of the classes present in it.
     *
     * @param features the B×D features, detached (float32)
     * @param groups the batch's grouping (from the same labels)
     * @param step the step's manager, for temporaries and the result
     * @return the updated K×D×D covariances of {@link BatchGroups#present}, on {@code step}
     */
    NDArray update(NDArray features, BatchGroups groups, NDManager step) {
        int numPresent = groups.numPresent();
        int width = groups.width;
        Device device = covariance.getDevice();
        NDArray present = step.create(groups.present).toDevice(device, false);
        NDIndex rows = new NDIndex("{}", present);
        NDArray oldMean = mean.get(step, rows);
        NDArray augmented = features.concat(oldMean, 0);
        NDArray gathered = augmented.get(new NDIndex("{}",
                step.create(groups.gather, new Shape(numPresent, width)).toDevice(device, false)));
        NDArray batchMean = step.create(groups.average, new Shape(numPresent, 1, width)).toDevice(device, false)
                .matMul(gathered); // K×1×D
        NDArray z = gathered.sub(batchMean)
                .mul(step.create(groups.scale, new Shape(numPresent, width, 1)).toDevice(device, false));
        NDArray merged = z.transpose(0, 2, 1).matMul(z); // w·Σ_b + w(1−w)(μ−μ_b)(μ−μ_b)ᵀ
        NDArray keep = step.create(groups.keep, new Shape(numPresent, 1)).toDevice(device, false);
        NDArray take = step.create(groups.take, new Shape(numPresent, 1)).toDevice(device, false);
        // gathered rows are a fresh copy: scale and accumulate in place (no further K×D×D allocations,
        // which dominate the cost for large D), then write back
        NDArray newCovariance = covariance.get(step, rows);
        newCovariance.muli(keep.expandDims(2)).addi(merged);
        NDArray newMean = oldMean.mul(keep).add(batchMean.squeeze(1).mul(take));
        covariance.set(rows, newCovariance);
        mean.set(rows, newMean);
        for (int k = 0; k < numPresent; k++) {
            seen[(int) groups.present[k]] += groups.counts[k];
        }
        count.set(seen);
        return newCovariance;
    }

    /**
     * Returns the number of samples of every class merged so far.
     *
     * @return N (the live host copy; do not modify)
     */
    long[] seen() {
        return seen;
    }

    int numClasses() {
        return numClasses;
    }

    int dimension() {
        return dimension;
    }

    Device device() {
        return covariance.getDevice();
    }

    /**
     * Returns the live state arrays.
     *
     * @return {@code covariance}, {@code mean}, {@code count}
     */
    Map<String, NDArray> arrays() {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        arrays.put(COVARIANCE, covariance);
        arrays.put(MEAN, mean);
        arrays.put(COUNT, count);
        return Collections.unmodifiableMap(arrays);
    }

    @Override
    public void close() {
        manager.close();
    }
}
