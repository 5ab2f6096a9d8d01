package dev.lpl.api.perturbation;

import ai.djl.ndarray.NDArray;

/**
 * The class-level logit perturbation of a training method (LPL slides, Eq. 7): the loss of a
 * mini-batch is {@code mean_i l(softmax(u_i + δ_{y_i}), y_i)}, where {@code δ_{y_i}} depends only on
 * the label. Cross-entropy ({@code δ = 0}), logit adjustment ({@code δ = λ·log π}), LDAM and LPL are
 * all of this form.
 *
 * <p>The framework calls {@link #perturb} once per training step, between the forward pass and
 * the loss, and takes the loss on its result. Evaluation uses the raw logits. The same call serves
 * {@code lpl loss}, so a method checked there is checked exactly as it trains.
 *
 * <p>Contract: the result has the shape of {@code logits} (B×C); it is differentiable with respect
 * to {@code logits} wherever {@code δ} is meant to carry gradient; every temporary lives on {@link
 * TrainingView#manager()}; the computation is vectorised over samples and classes (no per-element
 * native calls); given the same inputs it returns the same output.
 */
public interface Perturbation {

    /**
     * Returns the perturbed logits {@code u + δ_y} on which the loss is taken.
     *
     * @param logits the B×C logits of the batch (float32), attached to the autograd graph
     * @param labels the B labels (int32 or int64) in {@code [0, C)}
     * @param view the training state
     * @return the B×C perturbed logits
     */
    NDArray perturb(NDArray logits, NDArray labels, TrainingView view);
}
