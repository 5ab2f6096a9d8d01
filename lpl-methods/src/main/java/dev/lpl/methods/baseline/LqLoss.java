package dev.lpl.methods.baseline;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.lpl.api.Settings;
import dev.lpl.api.objective.LossFunction;
import dev.lpl.api.objective.LossFunctionFactory;
import java.util.Locale;

/**
 * The Lq loss, or generalised cross-entropy (Zhang and Sabuncu, "Generalized Cross Entropy Loss for
 * Training Deep Neural Networks with Noisy Labels", NeurIPS 2018, Eq. 6): per sample {@code (1 −
 * p_y^q)/q} with {@code p_y = softmax(u)_y}. {@code q → 0} is cross-entropy, {@code q = 1} the mean
 * absolute error (up to a factor). {@code p_y^q} is computed as {@code exp(q·log softmax(u)_y)}, so
 * the value and gradient stay finite for any logits. q = 0.4 as in the ISDA comparison (the paper's
 * own default is 0.7).
 */
public final class LqLoss implements LossFunction {

    private final double q;

    /**
     * Creates the loss.
     *
     * @param q the exponent, in (0, 1]
     */
    public LqLoss(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("q must be in (0, 1]: " + q);
        }
        this.q = q;
    }

    /**
     * Returns q.
     *
     * @return the exponent
     */
    public double q() {
        return q;
    }

    @Override
    public NDArray perSample(NDArray logits, NDArray labels) {
        requireNonNull(logits, "logits is null");
        requireNonNull(labels, "labels is null");
        int numClasses = Math.toIntExact(logits.getShape().get(1));
        NDArray y = labels.getDataType() == DataType.INT64 ? labels : labels.toType(DataType.INT64, false);
        NDArray logProbability = logits.logSoftmax(1).mul(y.reshape(-1).oneHot(numClasses)).sum(new int[] {1});
        return logProbability.mul((float) q).exp().neg().add(1f).div((float) q);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LqLoss{q=%s}", q);
    }

    /** The {@code lq} factory; reads {@code q} in (0, 1]. */
    public static final class Factory implements LossFunctionFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "lq";
        }

        @Override
        public String description() {
            return "Lq / generalised cross-entropy (1 - p_y^q)/q, q = 0.4 (Zhang & Sabuncu, NeurIPS 2018)";
        }

        @Override
        public LossFunction create(Settings settings) {
            requireNonNull(settings, "settings is null");
            double q = settings.getDouble("q", 0, 1);
            if (q == 0) {
                throw settings.invalid("q", "must be > 0 (q -> 0 is cross-entropy: use loss.type = cross-entropy)");
            }
            return new LqLoss(q);
        }
    }
}
