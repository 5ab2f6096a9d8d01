package dev.lpl.core.train;

/**
 * The relative loss variation {@code (l' − l)/l} of every class over an epoch — the quantity the
 * LPL paper plots to compare methods (LPL slides, "Analysis"): {@code l} is the loss of the raw
 * logits, {@code l'} the loss of the perturbed logits, both summed over the epoch's training
 * samples of the class. Positive for classes whose loss the method increases (positive
 * augmentation), negative where it decreases it.
 */
public final class LossVariation {

    private final double[] raw;
    private final double[] perturbed;

    /**
     * Creates an empty accumulator.
     *
     * @param numClasses C
     */
    public LossVariation(int numClasses) {
        raw = new double[numClasses];
        perturbed = new double[numClasses];
    }

    /**
     * Adds a batch.
     *
     * @param labels the B labels
     * @param rawLosses the B losses on raw logits
     * @param perturbedLosses the B losses on perturbed logits
     */
    public void add(long[] labels, float[] rawLosses, float[] perturbedLosses) {
        for (int i = 0; i < labels.length; i++) {
            int y = (int) labels[i];
            raw[y] += rawLosses[i];
            perturbed[y] += perturbedLosses[i];
        }
    }

    /**
     * Returns {@code (Σl' − Σl)/Σl} of every class.
     *
     * @return per class, NaN for a class without samples or with zero raw loss
     */
    public double[] relative() {
        double[] out = new double[raw.length];
        for (int c = 0; c < raw.length; c++) {
            out[c] = raw[c] > 0 ? (perturbed[c] - raw[c]) / raw[c] : Double.NaN;
        }
        return out;
    }

    /**
     * Returns the raw and perturbed sums, for checkpoints of a partial epoch.
     *
     * @return {raw sums, perturbed sums}
     */
    public double[][] sums() {
        return new double[][] {raw.clone(), perturbed.clone()};
    }

    /**
     * Restores sums saved with {@link #sums()}.
     *
     * @param sums {raw sums, perturbed sums}
     */
    public void restore(double[][] sums) {
        System.arraycopy(sums[0], 0, raw, 0, raw.length);
        System.arraycopy(sums[1], 0, perturbed, 0, perturbed.length);
    }
}
