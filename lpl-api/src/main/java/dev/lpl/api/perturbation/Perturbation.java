package dev.lpl.api.perturbation;

import ai.djl.ndarray.NDArray;
import dev.lpl.api.LplException;
import dev.lpl.api.model.HeadType;
import java.util.Map;
import java.util.Optional;

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
 * native calls); given the same inputs and state it returns the same output.
 *
 * <p>A stateful method (ISDA's running covariance) keeps its state in arrays of its own manager,
 * exposes it through {@link #state()} so it is checkpointed with the weights, and frees it in
 * {@link #close()}.
 */
public interface Perturbation extends AutoCloseable {

    /**
     * Returns the perturbed logits {@code u + δ_y} on which the loss is taken.
     *
     * @param logits the B×C logits of the batch (float32), attached to the autograd graph
     * @param labels the B labels (int32 or int64) in {@code [0, C)}
     * @param view the training state
     * @return the B×C perturbed logits
     */
    NDArray perturb(NDArray logits, NDArray labels, TrainingView view);

    /**
     * Returns the labels the loss is taken against: the batch's labels for every method but those
     * that corrupt them on purpose (DisturbLabel, Xie et al. 2016, replaces each with a random
     * class with probability α). The framework calls it once per step before {@link #perturb},
     * which then receives the result, as do the loss and the class weights.
     *
     * <p>Contract: B labels in {@code [0, C)} of the type of {@code labels}; random draws come only
     * from {@link TrainingView#stepSeed()}, so the same step gives the same targets.
     *
     * @param labels the B true labels (int64)
     * @param view the training state
     * @return the B target labels; the default returns {@code labels}
     */
    default NDArray targets(NDArray labels, TrainingView view) {
        return labels;
    }

    /**
     * Returns a scalar term added to the batch's loss after the weighted mean of the per-sample
     * losses, such as center loss's {@code λ·½·mean_i ‖f_i − c_{y_i}‖²} (Wen et al. 2016) on the
     * features of the view. A method whose term has state of its own (the centers) updates it here,
     * once per training step, from detached values.
     *
     * @param logits the B×C raw logits
     * @param labels the B true labels (int64), not the {@link #targets}
     * @param view the training state
     * @return the scalar term (attached to the graph where it should train the network), or empty
     */
    default Optional<NDArray> regularizer(NDArray logits, NDArray labels, TrainingView view) {
        return Optional.empty();
    }

    /**
     * Returns the logits a prediction is taken from at evaluation. The default is the raw logits
     * (every method is evaluated on raw logits unless it says otherwise); logit adjustment's
     * post-hoc mode returns {@code u − τ·log π}.
     *
     * @param logits the B×C raw logits
     * @param classCounts the training count of every class
     * @return the B×C logits whose argmax is the prediction
     */
    default NDArray predictionLogits(NDArray logits, long[] classCounts) {
        return logits;
    }

    /**
     * Returns the classifier head the method is defined for, if it needs one (LDAM: the cosine
     * head, whose logits lie in [−1, 1] before scaling; ISDA: a linear head, whose weight rows are
     * the class vectors). A run with another {@code model.head} is refused before any work.
     *
     * @return the required head, or empty if any head works
     */
    default Optional<HeadType> requiredHead() {
        return Optional.empty();
    }

    /**
     * Checks the method's settings (for a composed method such as LPL, also those of its parts)
     * against the number of classes C of the dataset, before any work: a setting that only fits
     * some C (LPL's fixed-index τ ≤ C, a per-class list) is refused here, naming its full key and
     * the allowed values, instead of at the first training step after the run directory was
     * written. The framework calls this before any run directory exists: with C from the dataset's
     * metadata ({@link dev.lpl.api.data.DatasetFactory#numClasses}) when the dataset can tell C
     * without reading images (so also in {@code lpl train --dry-run} and {@code lpl sweep
     * --dry-run}), and again once the data is loaded. It must be cheap and free of side effects.
     * The default accepts every C.
     *
     * @param numClasses C, at least 1
     * @throws LplException naming the key whose value does not fit C, and the allowed values
     */
    default void checkNumClasses(int numClasses) {}

    /**
     * Returns the method's training state by name (live arrays, not copies), empty for a
     * stateless method.
     *
     * @return the state arrays
     */
    default Map<String, NDArray> state() {
        return Map.of();
    }

    /**
     * Restores state saved from {@link #state()} (values are copied in).
     *
     * @param state the saved arrays by name
     * @throws LplException if the state does not fit this method
     */
    default void restoreState(Map<String, NDArray> state) {
        if (!state.isEmpty()) {
            throw new LplException("method " + getClass().getSimpleName()
                    + " is stateless but the checkpoint holds state " + state.keySet());
        }
    }

    /** Frees the method's state; the default does nothing. */
    @Override
    default void close() {}
}
