package dev.lpl.methods.baseline;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.objective.MetaReweighting;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.perturbation.TrainingView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Meta-Weight-Net (Shu, Xie, Yi, Zhao, Zhou, Xu and Meng, NeurIPS 2019, Eq. 3 and Algorithm 1, in the
 * form of the authors' class-imbalance code, xjtushujun/Meta-weight-net_class-imbalance): an MLP
 * {@code 1 → hidden → ReLU → 1 → sigmoid} maps each sample's (detached) cross-entropy to a weight,
 * normalised over the batch ({@code w_i / Σ_j w_j}); the loss of the batch is {@code Σ_i w_i l_i}.
 * The framework's step ({@link MetaReweighting}) learns the MLP by the one-step look-ahead on a
 * balanced meta set; this class holds the MLP and its optimizer, SGD with momentum 0.9, Nesterov,
 * weight decay 5e-4 and learning rate 1e-5, as the authors' {@code optimizer_c}.
 *
 * <p>The logits are not perturbed. The MLP starts as PyTorch's {@code nn.Linear} does ({@code
 * U(−1/√fan_in, 1/√fan_in)} weights and biases), drawn from the engine's generator, which the
 * framework seeds before every step. Its parameters and momentum buffers are the method's state
 * ({@code w1}, {@code b1}, {@code w2}, {@code b2} and {@code momentum-*}), checkpointed with the
 * network.
 */
public final class MetaWeightNet implements Perturbation, MetaReweighting {

    private static final List<String> NAMES = List.of("w1", "b1", "w2", "b2");

    private final int hidden;
    private final double learningRate;
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final int metaPerClass;
    private final int metaBatchSize;
    private NDManager stateManager;
    private final List<NDArray> parameters = new ArrayList<>();
    private final List<NDArray> buffers = new ArrayList<>();

    /**
     * Creates the method.
     *
     * @param hidden the MLP's hidden units (100)
     * @param learningRate the MLP's learning rate (1e-5)
     * @param momentum the MLP's momentum (0.9)
     * @param nesterov Nesterov momentum (true)
     * @param weightDecay the MLP's weight decay (5e-4)
     * @param metaPerClass images per class of the meta set (10)
     * @param metaBatchSize images per meta batch (100)
     */
    public MetaWeightNet(int hidden, double learningRate, double momentum, boolean nesterov, double weightDecay,
            int metaPerClass, int metaBatchSize) {
        if (hidden < 1 || metaPerClass < 1 || metaBatchSize < 1) {
            throw new IllegalArgumentException("hidden, meta-per-class and meta-batch-size must be positive");
        }
        if (!(learningRate >= 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("learning rate and weight decay must be >= 0, momentum in [0, 1)");
        }
        this.hidden = hidden;
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.metaPerClass = metaPerClass;
        this.metaBatchSize = metaBatchSize;
    }

    @Override
    public int metaPerClass() {
        return metaPerClass;
    }

    @Override
    public int metaBatchSize() {
        return metaBatchSize;
    }

    @Override
    public List<NDArray> parameters(Device device) {
        requireNonNull(device, "device is null");
        if (parameters.isEmpty()) {
            stateManager = NDManager.newBaseManager(device);
            stateManager.setName("meta-weight-net");
            double bound1 = 1; // fan_in 1
            double bound2 = 1 / Math.sqrt(hidden);
            add(stateManager.randomUniform((float) -bound1, (float) bound1, new Shape(hidden, 1)));
            add(stateManager.randomUniform((float) -bound1, (float) bound1, new Shape(hidden)));
            add(stateManager.randomUniform((float) -bound2, (float) bound2, new Shape(1, hidden)));
            add(stateManager.randomUniform((float) -bound2, (float) bound2, new Shape(1)));
        }
        return List.copyOf(parameters);
    }

    private void add(NDArray parameter) {
        NDScope.unregister(parameter);
        parameter.setRequiresGradient(true);
        parameters.add(parameter);
        NDArray buffer = stateManager.zeros(parameter.getShape(), DataType.FLOAT32);
        NDScope.unregister(buffer);
        buffers.add(buffer);
    }

    @Override
    public NDArray weights(NDArray perSampleLoss) {
        requireNonNull(perSampleLoss, "perSampleLoss is null");
        if (parameters.isEmpty()) {
            parameters(perSampleLoss.getDevice());
        }
        NDArray x = perSampleLoss.reshape(-1, 1).toType(DataType.FLOAT32, false);
        NDArray h = x.matMul(parameters.get(0).transpose()).add(parameters.get(1)).maximum(0f); // B×H
        NDArray out = h.matMul(parameters.get(2).transpose()).add(parameters.get(3)).reshape(-1); // B
        NDArray w = out.neg().exp().add(1f).pow(-1f); // sigmoid
        return w.div(w.sum().maximum(Float.MIN_NORMAL));
    }

    @Override
    public void update() {
        if (parameters.isEmpty()) {
            throw new IllegalStateException("update() before the parameters exist");
        }
        for (int k = 0; k < parameters.size(); k++) {
            NDArray p = parameters.get(k);
            NDArray buffer = buffers.get(k);
            try (NDManager temp = stateManager.newSubManager()) {
                NDArray grad = p.getGradient().stopGradient();
                grad.attach(temp);
                NDArray d = grad.add(p.stopGradient().mul((float) weightDecay));
                d.attach(temp);
                buffer.muli((float) momentum).addi(d);
                NDArray step = nesterov ? d.add(buffer.mul((float) momentum)) : buffer.duplicate();
                step.attach(temp);
                NDArray scaled = step.mul((float) learningRate);
                scaled.attach(temp);
                p.subi(scaled);
            }
        }
    }

    @Override
    public NDArray perturb(NDArray logits, NDArray labels, TrainingView view) {
        requireNonNull(logits, "logits is null");
        return logits;
    }

    @Override
    public Map<String, NDArray> state() {
        if (parameters.isEmpty()) {
            return Map.of();
        }
        Map<String, NDArray> state = new LinkedHashMap<>();
        for (int k = 0; k < NAMES.size(); k++) {
            state.put(NAMES.get(k), parameters.get(k));
            state.put("momentum-" + NAMES.get(k), buffers.get(k));
        }
        return state;
    }

    @Override
    public void restoreState(Map<String, NDArray> saved) {
        requireNonNull(saved, "saved is null");
        if (saved.isEmpty()) {
            close();
            return;
        }
        for (String name : NAMES) {
            if (!saved.containsKey(name) || !saved.containsKey("momentum-" + name)) {
                throw new LplException("meta-weight-net state lacks '" + name + "' or 'momentum-" + name + "' (has "
                        + saved.keySet() + "); was it saved by another method?");
            }
        }
        NDArray w1 = saved.get("w1");
        if (w1.getShape().dimension() != 2 || w1.getShape().get(0) != hidden) {
            throw new LplException("meta-weight-net state has " + w1.getShape().get(0) + " hidden units, the"
                    + " configuration " + hidden + " (method.meta-weight-net.hidden)");
        }
        close();
        stateManager = NDManager.newBaseManager(w1.getDevice());
        stateManager.setName("meta-weight-net");
        for (String name : NAMES) {
            NDArray p = saved.get(name).toType(DataType.FLOAT32, true);
            p.attach(stateManager);
            NDScope.unregister(p);
            p.setRequiresGradient(true);
            parameters.add(p);
            NDArray b = saved.get("momentum-" + name).toType(DataType.FLOAT32, true);
            b.attach(stateManager);
            NDScope.unregister(b);
            buffers.add(b);
        }
    }

    @Override
    public void close() {
        parameters.clear();
        buffers.clear();
        if (stateManager != null) {
            stateManager.close();
            stateManager = null;
        }
    }

    @Override
    public String toString() {
        return "MetaWeightNet{hidden=" + hidden + ", lr=" + learningRate + ", metaPerClass=" + metaPerClass + "}";
    }

    /** The {@code meta-weight-net} factory. */
    public static final class Factory implements PerturbationFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "meta-weight-net";
        }

        @Override
        public String description() {
            return "Meta-Weight-Net: an MLP maps each sample's loss to its weight, learned by a one-step"
                    + " look-ahead on a balanced meta set (Shu et al., NeurIPS 2019)";
        }

        @Override
        public Perturbation create(Settings settings, Components components) {
            requireNonNull(settings, "settings is null");
            return new MetaWeightNet(settings.getInt("hidden", 1, 1 << 16),
                    settings.getDouble("learning-rate", 0, Double.MAX_VALUE),
                    settings.getDouble("momentum", 0, 0.999999), settings.getBoolean("nesterov"),
                    settings.getDouble("weight-decay", 0, Double.MAX_VALUE),
                    settings.getInt("meta-per-class", 1, 1 << 20), settings.getInt("meta-batch-size", 1, 1 << 20));
        }
    }
}
