package com.example.lpl;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.perturbation.TrainingView;

/**
 * Additive margin: the class-level logit perturbation that lowers the logit of the true class by a
 * constant margin {@code m}, {@code δ_y = −m·e_y}, so the loss asks for the true class to win by at
 * least {@code m}. It is the margin of AM-softmax (Wang, Cheng, Liu and Liu, "Additive Margin
 * Softmax for Face Verification", IEEE Signal Processing Letters 25(7), 2018) without its
 * normalisation of features and weights (and hence without its scale {@code s}); with {@code m = 0}
 * it is plain cross-entropy.
 *
 * <p>This class is the worked example of a method written as a third-party plugin: it uses nothing
 * but {@code lpl-api} and DJL; {@link #perturb} is vectorised (one one-hot, one multiplication, one
 * subtraction, whatever B and C) and creates its temporaries on {@link TrainingView#manager()}, so
 * they are freed with the training step; {@code δ} is a constant, so the gradient with respect to
 * the logits is that of cross-entropy on the shifted logits; and the method holds no state.
 *
 * <p>Option ({@code method.additive-margin}, default in this plugin's {@code reference.conf}):
 * {@code margin}, a finite {@code m ≥ 0}, default 0.35.
 */
public final class AdditiveMarginPerturbation implements Perturbation {

    /** The factory's name, which {@code method.type} selects. */
    public static final String NAME = "additive-margin";

    private final float margin;

    /**
     * Creates the method.
     *
     * @param margin the margin {@code m}, finite and at least 0
     * @throws IllegalArgumentException if the margin is negative, NaN or infinite
     */
    public AdditiveMarginPerturbation(double margin) {
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("margin must be a finite number >= 0, got " + margin);
        }
        this.margin = (float) margin;
    }

    /**
     * Returns the margin.
     *
     * @return {@code m}
     */
    public double margin() {
        return margin;
    }

    /**
     * Returns {@code u − m·onehot(y)}: every logit unchanged but that of the sample's class, which is
     * lowered by {@code m}.
     *
     * @param logits the B×C logits
     * @param labels the B labels in {@code [0, C)}
     * @param view the training state; its manager receives the temporaries
     * @return the B×C perturbed logits, differentiable with respect to {@code logits}
     */
    @Override
    public NDArray perturb(NDArray logits, NDArray labels, TrainingView view) {
        requireNonNull(logits, "logits is null");
        requireNonNull(labels, "labels is null");
        requireNonNull(view, "view is null");
        long batch = logits.getShape().get(0);
        int numClasses = view.numClasses();
        if (logits.getShape().dimension() != 2 || logits.getShape().get(1) != numClasses
                || labels.getShape().size() != batch) {
            throw new IllegalArgumentException("logits " + logits.getShape() + " and labels " + labels.getShape()
                    + " must be B×" + numClasses + " and B");
        }
        NDManager step = view.manager();
        NDArray y = labels;
        if (y.getManager() != step) {
            // A run creates the labels on the step's manager; a caller that did not gets a copy there,
            // so that the one-hot and its int64 conversion are freed with the step too.
            y = labels.duplicate();
            y.attach(step);
        }
        NDArray shift = y.oneHot(numClasses, logits.getDataType()).mul(margin); // m·e_y, B×C, on step
        return logits.sub(shift);
    }

    /**
     * The {@code additive-margin} factory: reads {@code method.additive-margin.margin} and
     * validates it.
     */
    public static final class Factory implements PerturbationFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String description() {
            return "additive margin on the true-class logit, delta_y = -m e_y"
                    + " (AM-softmax without normalisation, Wang et al., IEEE SPL 2018; example plugin)";
        }

        @Override
        public Perturbation create(Settings settings, Components components) {
            requireNonNull(settings, "settings is null");
            requireNonNull(components, "components is null");
            double margin = settings.getDouble("margin");
            if (!(margin >= 0) || Double.isInfinite(margin)) {
                throw settings.invalid("margin", margin + " is out of range; allowed: a finite number >= 0");
            }
            return new AdditiveMarginPerturbation(margin);
        }
    }
}
