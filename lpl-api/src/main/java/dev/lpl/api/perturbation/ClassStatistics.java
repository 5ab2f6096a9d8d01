package dev.lpl.api.perturbation;

import static java.util.Objects.requireNonNull;

/**
 * Per-class statistics of one mini-batch, the input of {@link SplitStrategy} and {@link
 * BoundStrategy}: the class score {@code q̄_c = (1/N_c) Σ_{i∈S_c} p_{i,c}} (the batch-mean
 * probability of the true class; high means easy — LPL, Algorithm 2), the batch count {@code N_c}
 * and the training count {@code n_c}.
 *
 * <p>A class absent from the batch has {@code N_c = 0} and score {@code NaN}.
 */
public final class ClassStatistics {

    private final double[] scores;
    private final int[] batchCounts;
    private final long[] classCounts;

    /**
     * Creates the statistics from their parts (arrays are copied).
     *
     * @param scores {@code q̄_c}, NaN for absent classes
     * @param batchCounts {@code N_c}
     * @param classCounts {@code n_c}
     */
    public ClassStatistics(double[] scores, int[] batchCounts, long[] classCounts) {
        requireNonNull(scores, "scores is null");
        requireNonNull(batchCounts, "batchCounts is null");
        requireNonNull(classCounts, "classCounts is null");
        if (scores.length != batchCounts.length || scores.length != classCounts.length) {
            throw new IllegalArgumentException("scores, batchCounts and classCounts differ in length");
        }
        this.scores = scores.clone();
        this.batchCounts = batchCounts.clone();
        this.classCounts = classCounts.clone();
    }

    /**
     * Computes the statistics of a batch from its softmax probabilities, in one pass over the B×C
     * matrix.
     *
     * @param probabilities the row-major B×C probabilities
     * @param labels the B labels
     * @param classCounts the training counts {@code n_c} (length C)
     * @return the statistics
     */
    public static ClassStatistics of(float[] probabilities, int[] labels, long[] classCounts) {
        int numClasses = classCounts.length;
        if (probabilities.length != labels.length * numClasses) {
            throw new IllegalArgumentException(
                    "probabilities must be B×C = " + labels.length + "×" + numClasses);
        }
        double[] sums = new double[numClasses];
        int[] counts = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            sums[y] += probabilities[i * numClasses + y];
            counts[y]++;
        }
        for (int c = 0; c < numClasses; c++) {
            sums[c] = counts[c] == 0 ? Double.NaN : sums[c] / counts[c];
        }
        return new ClassStatistics(sums, counts, classCounts);
    }

    /**
     * Returns the number of classes C.
     *
     * @return C
     */
    public int numClasses() {
        return scores.length;
    }

    /**
     * Returns the score of a class.
     *
     * @param c the class
     * @return {@code q̄_c}, NaN if absent from the batch
     */
    public double score(int c) {
        return scores[c];
    }

    /**
     * Returns the batch count of a class.
     *
     * @param c the class
     * @return {@code N_c}
     */
    public int batchCount(int c) {
        return batchCounts[c];
    }

    /**
     * Returns whether the class has samples in the batch.
     *
     * @param c the class
     * @return {@code N_c > 0}
     */
    public boolean present(int c) {
        return batchCounts[c] > 0;
    }

    /**
     * Returns the training count of a class.
     *
     * @param c the class
     * @return {@code n_c}
     */
    public long classCount(int c) {
        return classCounts[c];
    }

    /**
     * Returns all training counts.
     *
     * @return a copy of {@code n_c}
     */
    public long[] classCounts() {
        return classCounts.clone();
    }
}
