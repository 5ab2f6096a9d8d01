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
}
