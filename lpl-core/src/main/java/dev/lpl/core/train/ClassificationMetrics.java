package dev.lpl.core.train;

import static java.util.Objects.requireNonNull;

/**
 * Test-set figures from a confusion matrix: top-1 accuracy, balanced accuracy (the mean of
 * per-class recalls, which weighs every class equally on a balanced test set), per-class accuracy
 * and the mean accuracy of the many/medium/few-shot groups.
 */
public final class ClassificationMetrics {

    private final long[][] confusion;
    private final long[] trainingCounts;

    /**
     * Creates the metrics.
     *
     * @param confusion C×C counts, row = true class, column = predicted class
     * @param trainingCounts the training count of every class (for the shot groups)
     */
    public ClassificationMetrics(long[][] confusion, long[] trainingCounts) {
        this.confusion = requireNonNull(confusion, "confusion is null");
        this.trainingCounts = requireNonNull(trainingCounts, "trainingCounts is null").clone();
        if (confusion.length != trainingCounts.length) {
            throw new IllegalArgumentException("confusion matrix and counts disagree on C");
        }
    }

    /**
     * Returns the number of test samples.
     *
     * @return the sum of the matrix
     */
    public long total() {
        long n = 0;
        for (long[] row : confusion) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    /**
     * Returns the top-1 accuracy.
     *
     * @return correct / total, NaN if empty
     */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < confusion.length; c++) {
            correct += confusion[c][c];
        }
        long n = total();
        return n == 0 ? Double.NaN : (double) correct / n;
    }

    /**
     * Returns every class's accuracy (recall).
     *
     * @return per-class accuracy, NaN for a class without test samples
     */
    public double[] perClassAccuracy() {
        double[] acc = new double[confusion.length];
        for (int c = 0; c < confusion.length; c++) {
            long n = 0;
            for (long v : confusion[c]) {
                n += v;
            }
            acc[c] = n == 0 ? Double.NaN : (double) confusion[c][c] / n;
        }
        return acc;
    }

    /**
     * Returns the mean per-class accuracy over classes with test samples.
     *
     * @return the balanced accuracy
     */
    public double balancedAccuracy() {
        return meanOver(perClassAccuracy(), null);
    }

    /**
     * Returns the mean per-class accuracy of a shot group.
     *
     * @param group the group
     * @return the group's mean, NaN if the group is empty
     */
    public double groupAccuracy(ShotGroup group) {
        return meanOver(perClassAccuracy(), group);
    }

    private double meanOver(double[] acc, ShotGroup group) {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < acc.length; c++) {
            if (!Double.isNaN(acc[c]) && (group == null || ShotGroup.of(trainingCounts[c]) == group)) {
                sum += acc[c];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Returns the confusion matrix.
     *
     * @return a deep copy
     */
    public long[][] confusion() {
        long[][] copy = new long[confusion.length][];
        for (int c = 0; c < confusion.length; c++) {
            copy[c] = confusion[c].clone();
        }
        return copy;
    }
}
