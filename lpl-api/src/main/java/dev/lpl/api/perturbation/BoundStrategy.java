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
}
