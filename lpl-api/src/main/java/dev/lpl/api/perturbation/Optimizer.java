package dev.lpl.api.perturbation;

/**
 * The inner solver of LPL (Algorithm 1): finds every class's perturbation {@code δ_c} within its
 * bound, ascending the class loss for the positive set and descending it for the negative set.
 *
 * <p>This is not the optimizer of the network weights (see {@link
 * dev.lpl.api.training.WeightOptimizer}). Its result is a constant: the loss is taken on {@code u +
 * δ_y} with δ detached, as Algorithm 1 treats it. A solver that can also differentiate through its
 * loop implements {@link DifferentiableOptimizer}.
 *
 * <p>Implementations must advance all classes together (a mask selects the classes still within
 * their step count) and loop over inner steps only — never over classes or samples with native
 * calls.
 */
public interface Optimizer {

    /**
     * Solves the inner problem of one mini-batch.
     *
     * @param problem the batch logits, labels and strategies
     * @return the per-class perturbation and how it was obtained
     */
    InnerSolution solve(InnerProblem problem);

    /**
     * Checks the inner solver's settings against the number of classes C of the dataset, before
     * any work (a setting that only fits some C, such as the fixed-index split's τ ≤ C, is refused naming
     * its full key). LPL calls this from {@link Perturbation#checkNumClasses}, which says when the
     * framework calls it. The default accepts every C.
     *
     * @param numClasses C, at least 1
     * @throws dev.lpl.api.LplException naming the key whose value does not fit C
     */
    default void checkNumClasses(int numClasses) {}
}
