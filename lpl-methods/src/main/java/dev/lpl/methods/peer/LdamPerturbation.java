package dev.lpl.methods.peer;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.perturbation.TrainingView;
import java.util.Locale;

/**
 * LDAM, the label-distribution-aware margin loss (Cao, Wei, Gaidon, Arechiga and Ma, "Learning
 * Imbalanced Datasets with Label-Distribution-Aware Margin Loss", NeurIPS 2019, Eqs. 12–13): the
 * class margin is {@code m_c = C_m / n_c^{1/4}} with {@code C_m} chosen so that {@code max_c m_c =
 * max-margin}; the true-class logit loses its class's margin and all logits are multiplied by the
 * scale s, so the loss is taken on {@code s·(u_i − m_{y_i}·e_{y_i})}.
 *
 * <p>The method expects the cosine classifier of the paper (normalised features and weights, no
 * bias: {@code model.head = cosine}), whose logits lie in [−1, 1] before scaling; it cannot check
 * the head itself, so the presets that use it ({@code ldam-drw}, {@code ldam-cosine}) set it. A
 * class with no training sample never is a label; it gets the largest margin, and the others are
 * scaled over the classes with samples. Predictions are taken on s·u (the argmax of the raw
 * cosines, with the confidences the loss trained). A call issues a handful of engine operations
 * (margins, one-hot labels, multiply, subtract, scale); the margins are constants.
 */
public final class LdamPerturbation implements Perturbation {

    private final double maxMargin;
    private final double scale;

    /**
     * Creates the method.
     *
     * @param maxMargin the largest margin, finite and {@code >= 0} (0.5 in the paper's code)
     * @param scale the logit scale s, finite and {@code > 0} (30 in the paper's code)
     */
    public LdamPerturbation(double maxMargin, double scale) {
        if (!(maxMargin >= 0) || Double.isInfinite(maxMargin)) {
            throw new IllegalArgumentException("maxMargin must be finite and >= 0: " + maxMargin);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0: " + scale);
        }
        this.maxMargin = maxMargin;
        this.scale = scale;
    }

    /**
     * Returns the logit scale.
     *
     * @return s
     */
    public double scale() {
        return scale;
    }

    /**
     * Returns the margins {@code m_c ∝ n_c^{-1/4}}, scaled so their largest is {@code max-margin}.
     *
     * @param classCounts the training counts {@code n_c}, non-negative, not all 0
     * @return C margins
     */
    public double[] margins(long[] classCounts) {
        requireNonNull(classCounts, "classCounts is null");
        double[] margins = new double[classCounts.length];
        double largest = 0;
        for (int c = 0; c < classCounts.length; c++) {
            if (classCounts[c] < 0) {
                throw new IllegalArgumentException("class counts must be >= 0: " + classCounts[c]);
            }
            if (classCounts[c] > 0) {
                margins[c] = 1.0 / Math.sqrt(Math.sqrt((double) classCounts[c]));
                largest = Math.max(largest, margins[c]);
            }
        }
        if (largest == 0) {
            throw new IllegalArgumentException("class counts must not all be 0");
        }
        for (int c = 0; c < margins.length; c++) {
            margins[c] = classCounts[c] > 0 ? margins[c] * (maxMargin / largest) : maxMargin;
        }
        return margins;
    }

    @Override
    public java.util.Optional<dev.lpl.api.model.HeadType> requiredHead() {
        return java.util.Optional.of(dev.lpl.api.model.HeadType.COSINE);
    }

    /**
     * Returns {@code s·u}: the scale the loss applies, so that the softmax confidences at
     * evaluation (ECE, reliability diagram) are those the model was trained to produce. The argmax,
     * and so every accuracy, is that of the raw cosine logits; without the scale the softmax of
     * cosines in [−1, 1] is nearly uniform (an ECE near 70% on Fashion-MNIST-LT, measured).
     *
     * @param logits the B×C cosine logits
     * @param classCounts unused
     * @return the scaled logits
     */
    @Override
    public NDArray predictionLogits(NDArray logits, long[] classCounts) {
        return logits.mul(scale);
    }

    /**
     * Returns {@code s·(u − m_y·e_y)}.
     *
     * @param logits the B×C logits (cosine logits in [−1, 1])
     * @param labels the B labels (int32 or int64)
     * @param view the training state (class counts and manager)
     * @return the perturbed logits
     */
    @Override
    public NDArray perturb(NDArray logits, NDArray labels, TrainingView view) {
        requireNonNull(view, "view is null");
        int numClasses = view.numClasses();
        ClassOffsets.checkBatch(logits, labels, numClasses);
        NDArray y = labels.getDataType() == DataType.INT64 ? labels : labels.toType(DataType.INT64, false);
        NDArray margins = ClassOffsets.row(margins(view.classCounts()), view.manager());
        NDArray trueClassMargins = y.reshape(-1).oneHot(numClasses).mul(margins);
        return logits.sub(trueClassMargins).mul(scale);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LdamPerturbation{maxMargin=%s, scale=%s}", maxMargin, scale);
    }

    /** The {@code ldam} factory; reads {@code max-margin} (>= 0) and {@code scale} (> 0). */
    public static final class Factory implements PerturbationFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "ldam";
        }

        @Override
        public String description() {
            return "LDAM margins m_c ~ n_c^(-1/4) on the true logit, scaled by s; needs model.head = cosine"
                    + " (Cao et al., NeurIPS 2019)";
        }

        @Override
        public Perturbation create(Settings settings, Components components) {
            requireNonNull(settings, "settings is null");
            requireNonNull(components, "components is null");
            double maxMargin = settings.getDouble("max-margin", 0, Double.POSITIVE_INFINITY);
            if (Double.isInfinite(maxMargin)) {
                throw settings.invalid("max-margin", "must be finite");
            }
            double scale = settings.getDouble("scale");
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw settings.invalid("scale", scale + " is out of range; allowed: (0, Infinity)");
            }
            return new LdamPerturbation(maxMargin, scale);
        }
    }
}
