package dev.lpl.methods;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.perturbation.TrainingView;

/**
 * Plain softmax cross-entropy, the baseline of every table of the LPL paper (Li et al., AAAI 2022):
 * the class-level perturbation of Eq. 7 with {@code δ = 0}, so the logits are returned unchanged.
 */
public final class CrossEntropyPerturbation implements Perturbation {

    /** Creates the method; it has no options. */
    public CrossEntropyPerturbation() {
        // stateless
    }

    /**
     * Returns the logits themselves ({@code δ = 0}); no native operation is issued.
     *
     * @param logits the B×C logits
     * @param labels the B labels (unused)
     * @param view the training state (unused)
     * @return {@code logits}
     */
    @Override
    public NDArray perturb(NDArray logits, NDArray labels, TrainingView view) {
        requireNonNull(labels, "labels is null");
        requireNonNull(view, "view is null");
        return requireNonNull(logits, "logits is null");
    }

    /** The {@code ce} factory (configuration block {@code method.ce}, which has no keys). */
    public static final class Factory implements PerturbationFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "ce";
        }

        @Override
        public String description() {
            return "plain softmax cross-entropy (delta = 0), the baseline of the LPL paper";
        }

        @Override
        public Perturbation create(Settings settings, Components components) {
            requireNonNull(settings, "settings is null");
            requireNonNull(components, "components is null");
            return new CrossEntropyPerturbation();
        }
    }
}
