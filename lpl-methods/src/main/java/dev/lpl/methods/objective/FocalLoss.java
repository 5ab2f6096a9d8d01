package dev.lpl.methods.objective;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.lpl.api.Settings;
import dev.lpl.api.objective.LossFunction;
import dev.lpl.api.objective.LossFunctionFactory;
import java.util.Locale;

/**
 * The softmax focal loss (Lin, Goyal, Girshick, He and Dollár, "Focal Loss for Dense Object
 * Detection", ICCV 2017, Eq. 5, in the softmax form of the LDAM-DRW code, Cao et al., NeurIPS
 * 2019): per sample {@code (1 − p_i)^γ · CE_i} with {@code CE_i = −log softmax(u_i)_{y_i}} and
 * {@code p_i = e^{−CE_i} = softmax(u_i)_{y_i}}. γ = 0 is cross-entropy.
 *
 * <p>Numerics: {@code CE_i} comes from log-softmax; {@code 1 − p_i} is computed as {@code Σ_{j≠y_i}
 * softmax(u_i)_j} (no cancellation when {@code p_i → 1}) and clamped at the smallest normal float
 * before the power, so neither the value nor the gradient becomes infinite or NaN for extreme
 * logits or for γ &lt; 1. Class weights are applied by the framework's weighted mean ({@code Σ
 * w_{y_i}·l_i / Σ w_{y_i}}, docs/methods.md#common-form), not inside the cross-entropy as in the
 * LDAM-DRW code.
 */
public final class FocalLoss implements LossFunction {

    private final double gamma;

    /**
     * Creates the loss.
     *
     * @param gamma the focusing parameter γ, finite and {@code >= 0}
     */
    public FocalLoss(double gamma) {
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be finite and >= 0: " + gamma);
        }
        this.gamma = gamma;
    }

    /**
     * Returns γ.
     *
     * @return the focusing parameter
     */
    public double gamma() {
        return gamma;
    }

    @Override
    public NDArray perSample(NDArray logits, NDArray labels) {
        requireNonNull(logits, "logits is null");
        requireNonNull(labels, "labels is null");
        int numClasses = Math.toIntExact(logits.getShape().get(1));
        NDArray y = labels.getDataType() == DataType.INT64 ? labels : labels.toType(DataType.INT64, false);
        NDArray oneHot = y.reshape(-1).oneHot(numClasses);
        NDArray logProbabilities = logits.logSoftmax(1);
        NDArray crossEntropy = logProbabilities.mul(oneHot).sum(new int[] {1}).neg();
        if (gamma == 0) {
            return crossEntropy;
        }
        NDArray probabilities = logProbabilities.exp();
        // Σ_{j≠y} p_j: the true-class entry is p_y − p_y = 0 exactly, the others are p_j exactly
        NDArray others = probabilities.sub(probabilities.mul(oneHot)).sum(new int[] {1});
        return others.maximum(Float.MIN_NORMAL).pow(gamma).mul(crossEntropy);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FocalLoss{gamma=%s}", gamma);
    }

    /** The {@code focal} factory; reads {@code gamma} (>= 0). */
    public static final class Factory implements LossFunctionFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "focal";
        }

        @Override
        public String description() {
            return "softmax focal loss (1 - p_y)^gamma * CE (Lin et al., ICCV 2017; as in LDAM-DRW)";
        }

        @Override
        public LossFunction create(Settings settings) {
            requireNonNull(settings, "settings is null");
            double gamma = settings.getDouble("gamma", 0, Double.POSITIVE_INFINITY);
            if (Double.isInfinite(gamma)) {
                throw settings.invalid("gamma", "must be finite");
            }
            return new FocalLoss(gamma);
        }
    }
}
