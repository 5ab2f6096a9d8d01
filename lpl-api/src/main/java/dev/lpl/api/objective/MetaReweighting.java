package dev.lpl.api.objective;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Per-sample loss weights learned on a small balanced meta set, as Meta-Weight-Net (Shu, Xie, Yi,
 * Zhao, Zhou, Xu and Meng, "Meta-Weight-Net: Learning an Explicit Mapping For Sample Weighting",
 * NeurIPS 2019, Algorithm 1). A method's {@link dev.lpl.api.perturbation.Perturbation} that also
 * implements this interface makes the framework run each training step as:
 *
 * <ol>
 *   <li>per-sample losses {@code l_i} of the batch; weights {@code w = }{@link #weights}{@code (l)}
 *       (a function of the detached losses, differentiable in the {@link #parameters});
 *   <li>a virtual SGD step of the network, {@code θ' = θ − lr·∇_θ Σ_i w_i l_i};
 *   <li>the mean cross-entropy {@code L_meta} of the virtual network on a meta batch ({@link
 *       #metaBatchSize} images of the balanced meta set, {@link #metaPerClass} images per class
 *       taken out of the training set before long-tail sampling), differentiated through the
 *       virtual step into the parameters only ({@code ∂L_meta/∂φ = Σ_i ∂w_i/∂φ·(−lr·⟨∇L_meta(θ'),
 *       ∇l_i(θ)⟩)}, the second-order term by central differences; see the core's {@code
 *       TrainingStep}), and {@link #update} of the parameters;
 *   <li>the real step of the network on {@code Σ_i w_i l_i} with the updated, detached weights.
 * </ol>
 *
 * <p>The parameters and the state of their optimizer belong to the perturbation's {@link
 * dev.lpl.api.perturbation.Perturbation#state()}, so they are checkpointed with the network.
 */
public interface MetaReweighting {

    /**
     * Returns the images per class of the balanced meta set.
     *
     * @return a positive count
     */
    int metaPerClass();

    /**
     * Returns the images of a meta batch.
     *
     * @return a positive count (capped at the meta set's size)
     */
    int metaBatchSize();

    /**
     * Returns the weighting network's parameters, created on first use on the device (drawing
     * from the engine's seeded generator), as leaves that require gradient.
     *
     * @param device the network's device
     * @return the live parameter arrays
     */
    List<NDArray> parameters(Device device);

    /**
     * Maps per-sample losses to the weights of the batch's loss.
     *
     * @param perSampleLoss the B detached per-sample losses
     * @return B weights (normalised over the batch), differentiable in the {@link #parameters}
     *     while a gradient is recorded
     */
    NDArray weights(NDArray perSampleLoss);

    /**
     * Updates the parameters from the gradients the meta loss left on them (the framework zeroes
     * those gradients before the meta loss and after the update).
     */
    void update();
}
