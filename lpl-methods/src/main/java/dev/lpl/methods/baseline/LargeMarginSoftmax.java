package dev.lpl.methods.baseline;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.model.HeadType;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.perturbation.TrainingView;
import java.util.Locale;
import java.util.Optional;

/**
 * Large-margin softmax, L-Softmax (Liu, Wen, Yu and Yang, "Large-Margin Softmax Loss for
 * Convolutional Neural Networks", ICML 2016, Eqs. 4–6, with the λ annealing of the authors' code,
 * wy1iu/LargeMargin_Softmax_Loss). On a bias-free linear classifier ({@code model.head =
 * linear-no-bias}) only the true-class logit changes during training:
 *
 * <pre>
 * f_y = (λ·W_yᵀx + ‖W_y‖‖x‖·ψ(θ)) / (1 + λ),   ψ(θ) = (−1)^k·cos(mθ) − 2k,   k = ⌊mθ/π⌋
 * </pre>
 *
 * with θ the angle between {@code W_y} and the features {@code x}; the other logits stay {@code
 * W_jᵀx}, and evaluation uses the plain {@code Wx}. {@code cos(mθ)} is the Chebyshev polynomial
 * {@code T_m(cos θ)}, so the gradient flows into W and x through {@code cos θ} with k held constant,
 * as in the paper's derivation (Eq. 8). λ anneals per iteration: {@code λ = max(λ_min, base·(1 +
 * γ·iteration)^(−power))} (base 1000, γ 2e-5, power 45, λ_min 0; margin m = 2, 4 as an option).
 *
 * <p>Everything is one vectorised expression over the batch: the true-class rows of W are gathered,
 * and the change {@code f_y − W_yᵀx} is added to the true-class column of the logits.
 */
public final class LargeMarginSoftmax implements Perturbation {

    private final int margin;
    private final double base;
    private final double gamma;
    private final double power;
    private final double lambdaMin;

    /**
     * Creates the method.
     *
     * @param margin the integer margin m in [1, 6] (1 is plain softmax)
     * @param base the initial λ, {@code >= 0}
     * @param gamma the decay rate γ per iteration, {@code >= 0}
     * @param power the decay power, {@code >= 0}
     * @param lambdaMin the floor of λ, {@code >= 0}
     */
    public LargeMarginSoftmax(int margin, double base, double gamma, double power, double lambdaMin) {
        if (margin < 1 || margin > 6) {
            throw new IllegalArgumentException("margin must be in [1, 6]: " + margin);
        }
        for (double v : new double[] {base, gamma, power, lambdaMin}) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("base, gamma, power and lambda-min must be finite and >= 0");
            }
        }
        this.margin = margin;
        this.base = base;
        this.gamma = gamma;
        this.power = power;
        this.lambdaMin = lambdaMin;
    }

    /**
     * Returns λ at an iteration.
     *
     * @param iteration the 0-based iteration
     * @return {@code max(λ_min, base·(1 + γ·iteration)^(−power))}
     */
    public double lambdaAt(long iteration) {
        return Math.max(lambdaMin, base * Math.pow(1 + gamma * iteration, -power));
    }

    @Override
    public Optional<HeadType> requiredHead() {
        return Optional.of(HeadType.LINEAR_NO_BIAS);
    }

    @Override
    public NDArray perturb(NDArray logits, NDArray labels, TrainingView view) {
        requireNonNull(logits, "logits is null");
        requireNonNull(labels, "labels is null");
        requireNonNull(view, "view is null");
        NDArray weight = view.classifierWeight().orElseThrow(LargeMarginSoftmax::needsWeights);
        NDArray features = view.features().orElseThrow(LargeMarginSoftmax::needsWeights);
        int numClasses = view.numClasses();
        int batch = Math.toIntExact(logits.getShape().get(0));
        if (weight.getShape().dimension() != 2 || weight.getShape().get(0) != numClasses) {
            throw new LplException("L-Softmax needs the classifier weight as a C×D matrix with C = " + numClasses
                    + ", got " + weight.getShape());
        }
        long dimension = weight.getShape().get(1);
        if (features.getShape().get(0) != batch || features.size() != batch * dimension) {
            throw new LplException("L-Softmax needs B×D features with B = " + batch + " and D = " + dimension
                    + ", got " + features.getShape());
        }
        if (batch == 0) {
            return logits;
        }
        NDManager step = view.manager();
        NDArray x = features.reshape(batch, dimension);
        NDArray y = labels.reshape(-1).toType(DataType.INT64, false);
        NDArray wy = weight.get(step, new NDIndex("{}", y)); // B×D, differentiable
        NDArray dot = wy.mul(x).sum(new int[] {1}); // W_yᵀx
        NDArray norms = wy.square().sum(new int[] {1}).sqrt().mul(x.square().sum(new int[] {1}).sqrt());
        NDArray cos = dot.div(norms.maximum(1e-12f)).clip(-1f, 1f);
        // k = ⌊mθ/π⌋ in [0, m − 1], held constant (no gradient)
        NDArray k = cos.stopGradient().acos().mul((float) (margin / Math.PI)).floor().clip(0f, margin - 1f);
        NDArray sign = k.mod(2f).mul(-2f).add(1f); // (−1)^k
        NDArray psi = chebyshev(cos, margin).mul(sign).sub(k.mul(2f));
        double lambda = lambdaAt(view.iteration());
        NDArray trueLogit = dot.mul((float) lambda).add(norms.mul(psi)).div((float) (1 + lambda));
        NDArray change = trueLogit.sub(dot).expandDims(1); // B×1
        return logits.add(y.oneHot(numClasses).toType(logits.getDataType(), false).mul(change));
    }

    /** {@code T_m(c) = cos(m·arccos c)} by the recurrence {@code T_{n+1} = 2c·T_n − T_{n−1}}. */
    private static NDArray chebyshev(NDArray c, int m) {
        NDArray previous = c.onesLike();
        NDArray current = c;
        for (int n = 1; n < m; n++) {
            NDArray next = c.mul(current).mul(2f).sub(previous);
            previous = current;
            current = next;
        }
        return current;
    }

    private static LplException needsWeights() {
        return new LplException("L-Softmax needs the penultimate features and the weight of a bias-free linear"
                + " classifier (model.head = linear-no-bias or auto); lpl loss: pass --features and --weights");
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LargeMarginSoftmax{m=%d, base=%s, gamma=%s, power=%s, lambdaMin=%s}",
                margin, base, gamma, power, lambdaMin);
    }

    /** The {@code lsoftmax} factory; reads {@code margin}, {@code base}, {@code gamma}, {@code power}, {@code lambda-min}. */
    public static final class Factory implements PerturbationFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "lsoftmax";
        }

        @Override
        public String description() {
            return "large-margin softmax, margin m = 2 on the true logit, lambda annealed (Liu et al., ICML 2016);"
                    + " needs model.head = linear-no-bias";
        }

        @Override
        public Perturbation create(Settings settings, Components components) {
            requireNonNull(settings, "settings is null");
            return new LargeMarginSoftmax(settings.getInt("margin", 1, 6),
                    settings.getDouble("base", 0, Double.MAX_VALUE), settings.getDouble("gamma", 0, Double.MAX_VALUE),
                    settings.getDouble("power", 0, Double.MAX_VALUE),
                    settings.getDouble("lambda-min", 0, Double.MAX_VALUE));
        }
    }
}
