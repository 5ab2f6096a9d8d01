package dev.lpl.methods.peer;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.perturbation.TrainingView;

/**
 * Balanced Softmax (Ren, Yu, Sheng, Ma, Zhao, Yi and Li, "Balanced Meta-Softmax for Long-Tailed
 * Visual Recognition", NeurIPS 2020, Eq. 4): the loss is taken on {@code u_i + log n}, i.e. {@code
 * softmax} weighted by the training counts {@code n_c}. An empty class gets {@code log(1e-12)}, a
 * large finite negative shift, instead of {@code −∞}.
 *
 * <p>Since softmax ignores a shift shared by all classes, this is logit adjustment's loss mode with
 * τ = 1 ({@code log n_c = log π_c + log N}); it is kept as its own method under the name users know.
 * Predictions use the raw logits. A call issues two engine operations; the shift is a constant.
 */
public final class BalancedSoftmax implements Perturbation {

    /** Creates the method; it has no options. */
    public BalancedSoftmax() {
        // stateless
    }

    /**
     * Returns {@code u + log(n + 1e-12)}.
     *
     * @param logits the B×C logits
     * @param labels the B labels (only their number is checked)
     * @param view the training state (class counts and manager)
     * @return the perturbed logits
     */
    @Override
    public NDArray perturb(NDArray logits, NDArray labels, TrainingView view) {
        requireNonNull(view, "view is null");
        ClassOffsets.checkBatch(logits, labels, view.numClasses());
        return ClassOffsets.addToRows(logits, ClassOffsets.logCounts(view.classCounts()), view.manager());
    }

    @Override
    public String toString() {
        return "BalancedSoftmax{}";
    }

    /** The {@code balanced-softmax} factory (block {@code method.balanced-softmax}, no keys). */
    public static final class Factory implements PerturbationFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "balanced-softmax";
        }

        @Override
        public String description() {
            return "Balanced Softmax, cross-entropy on u + log(n_c) (Ren et al., NeurIPS 2020)";
        }

        @Override
        public Perturbation create(Settings settings, Components components) {
            requireNonNull(settings, "settings is null");
            requireNonNull(components, "components is null");
            return new BalancedSoftmax();
        }
    }
}
