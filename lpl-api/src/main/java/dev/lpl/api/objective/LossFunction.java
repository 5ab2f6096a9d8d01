package dev.lpl.api.objective;

import ai.djl.ndarray.NDArray;

/**
 * The loss of every sample of a batch, taken on the (perturbed) logits: {@code l(softmax(u_i),
 * y_i)}, e.g. cross-entropy or the focal loss. The framework forms the (weighted) mean.
 *
 * <p>Contract: vectorised (no per-sample native calls), numerically stable for extreme logits,
 * differentiable with respect to the logits, temporaries attached to the logits' manager.
 */
public interface LossFunction {

    /**
     * Returns the per-sample losses.
     *
     * @param logits the B×C logits (float32)
     * @param labels the B labels (int64)
     * @return B losses (float32)
     */
    NDArray perSample(NDArray logits, NDArray labels);
}
