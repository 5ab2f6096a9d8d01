package dev.lpl.api.perturbation;

import static java.util.Objects.requireNonNull;

/**
 * The solution of an {@link InnerProblem}: the perturbation {@code δ_c} of every class (a C×C
 * matrix whose row c is added to the logits of every sample of class c), with the split, bounds
 * and step counts that produced it.
 */
public final class InnerSolution {

    private final float[] delta;
    private final int numClasses;
    private final Split initialSplit;
    private final double[] bounds;
    private final int[] steps;

    /**
     * Creates a solution. Arrays are not copied.
     *
     * @param delta row-major C×C; row c is {@code δ_c}
     * @param initialSplit the split of the unperturbed logits
     * @param bounds {@code ε_c}
     * @param steps {@code K_c}
     */
    public InnerSolution(float[] delta, Split initialSplit, double[] bounds, int[] steps) {
        this.delta = requireNonNull(delta, "delta is null");
        this.initialSplit = requireNonNull(initialSplit, "initialSplit is null");
        this.bounds = requireNonNull(bounds, "bounds is null");
        this.steps = requireNonNull(steps, "steps is null");
        this.numClasses = steps.length;
        if (delta.length != numClasses * numClasses || bounds.length != numClasses) {
            throw new IllegalArgumentException("delta must be C×C and bounds length C, C = " + numClasses);
        }
    }

    /**
     * Returns the perturbation matrix.
     *
     * @return row-major C×C (not a copy)
     */
    public float[] delta() {
        return delta;
    }

    /**
     * Returns one entry of {@code δ}.
     *
     * @param c the class whose perturbation
     * @param j the logit it applies to
     * @return {@code δ_c[j]}
     */
    public float delta(int c, int j) {
        return delta[c * numClasses + j];
    }

    /**
     * Returns the number of classes C.
     *
     * @return C
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Returns the split of the unperturbed logits.
     *
     * @return the initial split
     */
    public Split initialSplit() {
        return initialSplit;
    }

    /**
     * Returns the bounds.
     *
     * @return {@code ε_c} (not a copy)
     */
    public double[] bounds() {
        return bounds;
    }

    /**
     * Returns the step counts.
     *
     * @return {@code K_c} (not a copy)
     */
    public int[] steps() {
        return steps;
    }
}
