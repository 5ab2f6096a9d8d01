package dev.lpl.api.perturbation;

/**
 * Gives the bound {@code ε_c} of every class's perturbation — LPL Eq. 13 (balanced data: larger for
 * classes far from τ) and Eq. 14 (long-tailed data: larger for the most frequent head and the
 * rarest tail classes). The inner solver turns it into a step count {@code K_c = ⌊ε_c/α⌋}
 * (Algorithm 1).
 */
public interface BoundStrategy {

    /**
     * Computes the bounds for a batch.
     *
     * @param statistics the batch statistics of the unperturbed logits
     * @param split the split of the unperturbed logits
     * @return {@code ε_c ≥ 0} for every class, length C
     */
    double[] bounds(ClassStatistics statistics, Split split);

    /**
     * Checks the bound's settings against the number of classes C of the dataset, before any work
     * (a setting that only fits some C, such as the fixed-index split's τ ≤ C, is refused naming
     * its full key). LPL calls this from {@link Perturbation#checkNumClasses}, which says when the
     * framework calls it. The default accepts every C.
     *
     * @param numClasses C, at least 1
     * @throws dev.lpl.api.LplException naming the key whose value does not fit C
     */
    default void checkNumClasses(int numClasses) {}
}
