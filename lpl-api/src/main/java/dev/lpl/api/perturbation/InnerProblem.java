package dev.lpl.api.perturbation;

import static java.util.Objects.requireNonNull;

/**
 * The problem an inner {@link Optimizer} solves for one mini-batch (LPL Eq. 8): find, for every
 * class c, the perturbation {@code δ_c} within bound {@code ε_c} that maximises (sign +1) or
 * minimises (sign −1) the class's cross-entropy {@code Σ_{i∈S_c} l(softmax(u_i + δ_c), c)}.
 *
 * <p>The logits are a host copy (row-major B×C): the inner loop works on B×C numbers, where native
 * call overhead and not arithmetic decides the cost, so it runs on the host.
 */
public final class InnerProblem {

    private final float[] logits;
    private final int[] labels;
    private final long[] classCounts;
    private final SplitStrategy splitStrategy;
    private final BoundStrategy boundStrategy;

    /**
     * Creates a problem. Arrays are not copied; the solver must not modify them.
     *
     * @param logits row-major B×C logits
     * @param labels B labels in [0, C)
     * @param classCounts the training counts {@code n_c}, length C
     * @param splitStrategy the category split
     * @param boundStrategy the per-class bound
     */
    public InnerProblem(
            float[] logits,
            int[] labels,
            long[] classCounts,
            SplitStrategy splitStrategy,
            BoundStrategy boundStrategy) {
        this.logits = requireNonNull(logits, "logits is null");
        this.labels = requireNonNull(labels, "labels is null");
        this.classCounts = requireNonNull(classCounts, "classCounts is null");
        this.splitStrategy = requireNonNull(splitStrategy, "splitStrategy is null");
        this.boundStrategy = requireNonNull(boundStrategy, "boundStrategy is null");
        if (logits.length != labels.length * classCounts.length) {
            throw new IllegalArgumentException(
                    "logits must be B×C = " + labels.length + "×" + classCounts.length
                            + " but has " + logits.length + " values");
        }
        for (int y : labels) {
            if (y < 0 || y >= classCounts.length) {
                throw new IllegalArgumentException("label " + y + " outside [0, " + classCounts.length + ")");
            }
        }
    }

    /**
     * Returns the logits.
     *
     * @return the row-major B×C logits (not a copy; do not modify)
     */
    public float[] logits() {
        return logits;
    }

    /**
     * Returns the labels.
     *
     * @return the B labels (not a copy; do not modify)
     */
    public int[] labels() {
        return labels;
    }

    /**
     * Returns the training counts.
     *
     * @return {@code n_c} (not a copy; do not modify)
     */
    public long[] classCounts() {
        return classCounts;
    }

    /**
     * Returns the batch size B.
     *
     * @return B
     */
    public int batchSize() {
        return labels.length;
    }

    /**
     * Returns the number of classes C.
     *
     * @return C
     */
    public int numClasses() {
        return classCounts.length;
    }

    /**
     * Returns the category split.
     *
     * @return the split strategy
     */
    public SplitStrategy splitStrategy() {
        return splitStrategy;
    }

    /**
     * Returns the bound strategy.
     *
     * @return the bound strategy
     */
    public BoundStrategy boundStrategy() {
        return boundStrategy;
    }
}
