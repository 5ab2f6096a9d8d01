package dev.lpl.core.train;

/**
 * Confidence calibration of test predictions: equal-width bins of the predicted class's softmax
 * probability, each with its sample count, mean confidence and accuracy, and the expected
 * calibration error {@code ECE = Σ_b (n_b/N)·|acc_b − conf_b|} (Guo et al., "On Calibration of
 * Modern Neural Networks", ICML 2017, with 15 bins).
 */
public final class Calibration {

    /** The number of bins of the standard ECE. */
    public static final int BINS = 15;

    private final long[] count = new long[BINS];
    private final double[] confidenceSum = new double[BINS];
    private final long[] correct = new long[BINS];

    /**
     * Adds predictions.
     *
     * @param confidences the predicted class's probability of each sample
     * @param hits whether each prediction is correct
     */
    public void add(float[] confidences, boolean[] hits) {
        for (int i = 0; i < confidences.length; i++) {
            int bin = bin(confidences[i]);
            count[bin]++;
            confidenceSum[bin] += confidences[i];
            if (hits[i]) {
                correct[bin]++;
            }
        }
    }

    /**
     * Returns the bin of a confidence: bin b covers (b/15, (b+1)/15], bin 0 also 0.
     *
     * @param confidence in [0, 1]
     * @return the bin index
     */
    static int bin(double confidence) {
        int b = (int) Math.ceil(confidence * BINS) - 1;
        return Math.max(0, Math.min(BINS - 1, b));
    }

    /**
     * Returns the expected calibration error.
     *
     * @return ECE in [0, 1], NaN without samples
     */
    public double ece() {
        long total = 0;
        for (long n : count) {
            total += n;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double ece = 0;
        for (int b = 0; b < BINS; b++) {
            if (count[b] > 0) {
                double accuracy = (double) correct[b] / count[b];
                double confidence = confidenceSum[b] / count[b];
                ece += (double) count[b] / total * Math.abs(accuracy - confidence);
            }
        }
        return ece;
    }

    /**
     * Returns the sample count of every bin.
     *
     * @return counts
     */
    public long[] counts() {
        return count.clone();
    }

    /**
     * Returns the mean confidence of every bin.
     *
     * @return per bin, NaN if empty
     */
    public double[] confidences() {
        double[] out = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            out[b] = count[b] == 0 ? Double.NaN : confidenceSum[b] / count[b];
        }
        return out;
    }

    /**
     * Returns the accuracy of every bin.
     *
     * @return per bin, NaN if empty
     */
    public double[] accuracies() {
        double[] out = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            out[b] = count[b] == 0 ? Double.NaN : (double) correct[b] / count[b];
        }
        return out;
    }
}
