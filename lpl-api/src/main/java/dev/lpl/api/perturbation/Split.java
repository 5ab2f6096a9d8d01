package dev.lpl.api.perturbation;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * The result of a {@link SplitStrategy}: a sign per class, {@code +1} for the positive set P
 * (augmented by loss maximisation) and {@code −1} for the negative set N (loss minimisation), and
 * the threshold τ that produced it.
 */
public final class Split {

    private final int[] signs;
    private final double threshold;

    /**
     * Creates a split.
     *
     * @param signs one sign per class, each +1 or −1
     * @param threshold τ: a score for score-based splits, the number of head classes for index
     *     splits, NaN where none applies
     */
    public Split(int[] signs, double threshold) {
        requireNonNull(signs, "signs is null");
        for (int s : signs) {
            if (s != 1 && s != -1) {
                throw new IllegalArgumentException("signs must be +1 or -1: " + Arrays.toString(signs));
            }
        }
        this.signs = signs.clone();
        this.threshold = threshold;
    }

    /**
     * Returns the sign of a class.
     *
     * @param c the class
     * @return +1 (maximise) or −1 (minimise)
     */
    public int sign(int c) {
        return signs[c];
    }

    /**
     * Returns all signs.
     *
     * @return a copy of the signs, length C
     */
    public int[] signs() {
        return signs.clone();
    }

    /**
     * Returns the threshold τ.
     *
     * @return τ, or NaN
     */
    public double threshold() {
        return threshold;
    }

    @Override
    public String toString() {
        return "Split{signs=" + Arrays.toString(signs) + ", threshold=" + threshold + "}";
    }
}
