package dev.lpl.methods.peer;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Per-class vectors of the peer methods, computed on the host once per call (C numbers), and the
 * checks and engine operations they share: the log prior {@code log(π_c + 1e-12)} with {@code π_c =
 * n_c/N} (logit adjustment, Menon et al., ICLR 2021, Eq. 10), the log count {@code log(n_c + 1e-12)}
 * (Balanced Softmax, Ren et al., NeurIPS 2020, Eq. 4) and the broadcast of such a vector over a
 * batch.
 */
final class ClassOffsets {

    /** Added to the prior (and to the counts) before the logarithm, so an empty class stays finite. */
    static final double LOG_FLOOR = 1e-12;

    private ClassOffsets() {}

    /**
     * Returns {@code scale·log(n_c/N + 1e-12)} for every class.
     *
     * @param classCounts the training counts {@code n_c}, non-negative with a positive sum
     * @param scale the factor (τ or λ)
     * @return C values
     */
    static double[] logPrior(long[] classCounts, double scale) {
        double total = total(classCounts);
        double[] offsets = new double[classCounts.length];
        for (int c = 0; c < classCounts.length; c++) {
            offsets[c] = scale * Math.log(classCounts[c] / total + LOG_FLOOR);
        }
        return offsets;
    }

    /**
     * Returns {@code log(n_c + 1e-12)} for every class.
     *
     * @param classCounts the training counts {@code n_c}, non-negative with a positive sum
     * @return C values
     */
    static double[] logCounts(long[] classCounts) {
        total(classCounts);
        double[] offsets = new double[classCounts.length];
        for (int c = 0; c < classCounts.length; c++) {
            offsets[c] = Math.log(classCounts[c] + LOG_FLOOR);
        }
        return offsets;
    }

    private static double total(long[] classCounts) {
        requireNonNull(classCounts, "classCounts is null");
        double total = 0;
        for (long n : classCounts) {
            if (n < 0) {
                throw new IllegalArgumentException("class counts must be >= 0: " + n);
            }
            total += n;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("class counts must not all be 0");
        }
        return total;
    }

    /**
     * Adds a per-class vector to every row of the logits: one array creation and one broadcast
     * addition on the engine.
     *
     * @param logits B×C logits
     * @param offsets C values
     * @param manager the manager of the temporary (the step's)
     * @return {@code logits + 1·offsetsᵀ}
     */
    static NDArray addToRows(NDArray logits, double[] offsets, NDManager manager) {
        return logits.add(row(offsets, manager));
    }

    /**
     * Creates a 1×C float32 row from doubles.
     *
     * @param values C values
     * @param manager the manager of the array
     * @return the row
     */
    static NDArray row(double[] values, NDManager manager) {
        float[] row = new float[values.length];
        for (int c = 0; c < values.length; c++) {
            row[c] = (float) values[c];
        }
        return manager.create(row, new Shape(1, values.length));
    }

    /**
     * Checks that logits are a float32 B×C matrix and labels have B values.
     *
     * @param logits the logits
     * @param labels the labels
     * @param numClasses C
     */
    static void checkBatch(NDArray logits, NDArray labels, int numClasses) {
        requireNonNull(logits, "logits is null");
        requireNonNull(labels, "labels is null");
        Shape shape = logits.getShape();
        if (shape.dimension() != 2 || shape.get(1) != numClasses) {
            throw new IllegalArgumentException("logits must be B×C with C = " + numClasses + ": " + shape);
        }
        if (logits.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("logits must be float32: " + logits.getDataType());
        }
        if (labels.size() != shape.get(0)) {
            throw new IllegalArgumentException("labels " + labels.getShape() + " must have B = " + shape.get(0)
                    + " values");
        }
    }
}
