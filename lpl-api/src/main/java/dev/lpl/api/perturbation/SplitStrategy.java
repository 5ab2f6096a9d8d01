package dev.lpl.api.perturbation;

/**
 * Splits the classes into the positive set P (loss maximisation) and the negative set N (loss
 * minimisation) — LPL Eq. 9 for balanced data (by class score against a threshold τ), Eq. 10 for
 * long-tailed data (by class index against a fixed τ).
 *
 * <p>Implementations are stateless and cheap: the inner solver may call {@link #split} at every
 * inner step on host arrays.
 */
public interface SplitStrategy {

    /**
     * Splits the classes of a batch.
     *
     * @param statistics the batch statistics (scores may be those of perturbed logits)
     * @return a sign for every class, absent classes included
     */
    Split split(ClassStatistics statistics);

    /**
     * Returns whether the split depends on the class scores, in which case the inner solver
     * re-evaluates it at every inner step from the perturbed logits (Eq. 9); a split that depends
     * only on class counts (Eq. 10) is evaluated once per batch.
     *
     * @return true if {@link #split} reads {@link ClassStatistics#score}
     */
    boolean dependsOnScores();

    /**
     * Checks the split's settings against the number of classes C of the dataset, before any work
     * (a setting that only fits some C, such as the fixed-index split's τ ≤ C, is refused naming
     * its full key). LPL calls this from {@link Perturbation#checkNumClasses}, which says when the
     * framework calls it. The default accepts every C.
     *
     * @param numClasses C, at least 1
     * @throws dev.lpl.api.LplException naming the key whose value does not fit C
     */
    default void checkNumClasses(int numClasses) {}
}
