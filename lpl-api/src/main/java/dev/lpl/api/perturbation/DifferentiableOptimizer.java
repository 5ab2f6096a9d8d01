package dev.lpl.api.perturbation;

import ai.djl.ndarray.NDArray;

/**
 * An inner {@link Optimizer} that can also run its loop as engine operations, so that the loss
 * differentiates through {@code δ} (LPL option {@code detach = false}, as the authors' long-tail
 * code did). The signs, bounds and step counts are those of {@link #solve}; only the arithmetic of
 * the steps is recorded for autograd.
 */
public interface DifferentiableOptimizer extends Optimizer {

    /**
     * Returns the perturbed logits {@code u^{K}} of the batch with the computation graph attached.
     *
     * @param logits the B×C logits, attached to the autograd graph
     * @param oneHot the B×C one-hot labels (float32)
     * @param problem the same problem on host copies
     * @param solution the host solution of {@code problem} (signs and step counts to replay)
     * @return the B×C perturbed logits
     */
    NDArray solveDifferentiable(
            NDArray logits, NDArray oneHot, InnerProblem problem, InnerSolution solution);
}
