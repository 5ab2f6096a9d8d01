package dev.lpl.methods.baseline;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.perturbation.TrainingView;
import java.util.Map;
import java.util.Optional;

/**
 * Center loss (Wen, Zhang, Li and Qiao, "A Discriminative Feature Learning Approach for Deep Face
 * Recognition", ECCV 2016, Eqs. 2, 4 and 5): the softmax cross-entropy plus {@code λ·½·mean_i ‖f_i −
 * c_{y_i}‖²} on the penultimate features {@code f_i} (the batch mean, as the authors' Caffe layer
 * divides the sum by the batch size), with one center {@code c_j} per class.
 *
 * <p>The centers are training state, updated once per step after the loss is taken, by their own
 * rule (Eq. 4 with the center learning rate α; no weight decay): {@code c_j −= α·Σ_{i: y_i = j}(c_j
 * − f_i)/(1 + n_j)}, {@code n_j} the number of samples of class j in the batch, from detached
 * features. This is the SGD step on the centers with the gradient rescaled by 1/λ of the PyTorch
 * ports. All classes are updated in one vectorised step ({@code n = Σ onehot}, {@code Σ f = onehotᵀ
 * F}). The centers start at zero (the paper does not fix an initialisation; they move to the class
 * means within a few steps) and are saved in checkpoints as {@code centers}.
 *
 * <p>λ is not published for CIFAR; 3e-3 is this framework's default (docs/methods.md#center-loss), α = 0.5.
 */
public final class CenterLoss implements Perturbation {

    /** The state key of the C×D centers. */
    public static final String CENTERS = "centers";

    private final double lambda;
    private final double alpha;
    private NDManager stateManager;
    private NDArray centers;

    /**
     * Creates the method.
     *
     * @param lambda the weight λ of the center term, finite and {@code >= 0}
     * @param alpha the learning rate α of the centers, in [0, 1]
     */
    public CenterLoss(double lambda, double alpha) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0: " + lambda);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1]: " + alpha);
        }
        this.lambda = lambda;
        this.alpha = alpha;
    }

    @Override
    public NDArray perturb(NDArray logits, NDArray labels, TrainingView view) {
        requireNonNull(logits, "logits is null");
        return logits;
    }

    @Override
    public Optional<NDArray> regularizer(NDArray logits, NDArray labels, TrainingView view) {
        requireNonNull(labels, "labels is null");
        requireNonNull(view, "view is null");
        NDArray features = view.features().orElseThrow(() -> new LplException(
                "center loss needs the batch's penultimate features; the network or lpl loss gave none"
                        + " (lpl loss: pass --features F.npy)"));
        int batch = Math.toIntExact(labels.size());
        if (features.getShape().dimension() < 1 || features.getShape().get(0) != batch) {
            throw new LplException("center loss needs B×D features with B = " + batch + ", got " + features.getShape());
        }
        NDArray f = features.reshape(batch, -1);
        int dimension = Math.toIntExact(f.getShape().get(1));
        int numClasses = view.numClasses();
        ensureCenters(numClasses, dimension, f.getDevice());
        NDManager step = view.manager();
        NDArray y = labels.reshape(-1).toType(DataType.INT64, false).toDevice(f.getDevice(), false);
        NDArray assigned = centers.get(step, new NDIndex("{}", y)); // B×D, no gradient (a copy)
        NDArray term = f.sub(assigned).square().sum(new int[] {1}).mean().mul((float) (lambda / 2));

        // Eq. 4: c_j −= α·(n_j·c_j − Σ_{i∈j} f_i)/(1 + n_j), every class at once, on detached features
        NDArray oneHot = y.oneHot(numClasses).toType(DataType.FLOAT32, false); // B×C
        NDArray counts = oneHot.sum(new int[] {0}).expandDims(1); // C×1
        NDArray sums = oneHot.transpose().matMul(f.stopGradient().toType(DataType.FLOAT32, false)); // C×D
        NDArray scaled = counts.mul(centers); // on the step's manager (the left operand's)
        NDArray delta = scaled.sub(sums).div(counts.add(1f)).mul((float) alpha);
        centers.subi(delta);
        return Optional.of(term);
    }

    private void ensureCenters(int numClasses, int dimension, Device device) {
        if (centers == null) {
            stateManager = NDManager.newBaseManager(device);
            stateManager.setName("center-loss");
            centers = stateManager.zeros(new Shape(numClasses, dimension), DataType.FLOAT32);
            NDScope.unregister(centers); // state outlives the step's scope
            return;
        }
        if (centers.getShape().get(0) != numClasses || centers.getShape().get(1) != dimension) {
            throw new LplException("center-loss centers are " + centers.getShape() + " but the batch has C = "
                    + numClasses + ", D = " + dimension + " (was the state of another network or data set restored?)");
        }
        if (!centers.getDevice().equals(device)) {
            NDArray moved = centers.toDevice(device, true);
            moved.attach(stateManager);
            NDScope.unregister(moved);
            centers.close();
            centers = moved;
        }
    }

    @Override
    public Map<String, NDArray> state() {
        return centers == null ? Map.of() : Map.of(CENTERS, centers);
    }

    @Override
    public void restoreState(Map<String, NDArray> saved) {
        requireNonNull(saved, "saved is null");
        if (saved.isEmpty()) {
            close();
            return;
        }
        NDArray value = saved.get(CENTERS);
        if (value == null || saved.size() != 1 || value.getShape().dimension() != 2) {
            throw new LplException("center-loss state must hold one C×D array '" + CENTERS + "', got " + saved.keySet()
                    + (value == null ? "" : " with shape " + value.getShape()));
        }
        close();
        stateManager = NDManager.newBaseManager(value.getDevice());
        stateManager.setName("center-loss");
        centers = value.toType(DataType.FLOAT32, true);
        centers.attach(stateManager);
        NDScope.unregister(centers);
    }

    @Override
    public void close() {
        if (stateManager != null) {
            stateManager.close();
            stateManager = null;
            centers = null;
        }
    }

    @Override
    public String toString() {
        return "CenterLoss{lambda=" + lambda + ", alpha=" + alpha + "}";
    }

    /** The {@code center} factory; reads {@code lambda} (>= 0) and {@code alpha} (the centers' rate). */
    public static final class Factory implements PerturbationFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "center";
        }

        @Override
        public String description() {
            return "center loss: CE + lambda/2 * mean ||f - c_y||^2, centers updated at rate alpha (Wen et al., ECCV 2016)";
        }

        @Override
        public Perturbation create(Settings settings, Components components) {
            requireNonNull(settings, "settings is null");
            double lambda = settings.getDouble("lambda", 0, Double.MAX_VALUE);
            return new CenterLoss(lambda, settings.getDouble("alpha", 0, 1));
        }
    }
}
