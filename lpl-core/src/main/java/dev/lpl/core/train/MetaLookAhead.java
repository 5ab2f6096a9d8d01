package dev.lpl.core.train;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.lpl.api.Seeds;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.objective.MetaReweighting;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.api.training.WeightOptimizer;
import dev.lpl.core.data.HostBatch;
import dev.lpl.core.data.MetaBatches;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Meta-Weight-Net's look-ahead (Shu et al. 2019, Algorithm 1, steps 5–7), run inside the training
 * step on the step's own forward pass. With {@code w(φ)} the weights of the batch's per-sample losses
 * {@code l_i}, the virtual step {@code θ' = θ − lr·Σ_i w_i ∇l_i(θ)} and {@code v = ∇L_meta(θ')} the
 * gradient of the meta batch's cross-entropy at the virtual weights, the chain rule through the
 * virtual step gives
 *
 * <pre>
 * ∂L_meta/∂φ = Σ_i ∂w_i/∂φ · (−lr · ⟨v, ∇l_i(θ)⟩)
 * </pre>
 *
 * (the losses enter the weighting net detached, as in the authors' code). The second-order term
 * {@code ⟨v, ∇l_i(θ)⟩}, each sample's gradient along v, is the Jacobian–vector product {@code J·v} of
 * the per-sample losses, taken here by central differences, {@code (l_i(θ + εv) − l_i(θ − εv))/2ε}
 * with {@code ε = 0.01/‖v‖} (as DARTS does for its Hessian–vector product): two forward passes
 * without autograd. PyTorch's exact route, a backward that creates a graph, leaves a cycle between
 * each weight and its gradient that DJL cannot break (it cannot reset {@code .grad}), so it would
 * leak a graph per step; {@code MetaLookAheadTest} checks this estimate against that exact
 * computation.
 *
 * <p>The passes: the step's forward at θ, whose graph is kept, serves both the virtual step's
 * gradient (a first backward, with the current net's weights) and, after the net's update, the real
 * step's gradient (a second backward of the same graph, with the updated net's weights), so the
 * batch goes forward once at θ. Then one forward and backward of the meta batch at θ', and two
 * forwards at θ ± εv: a Meta-Weight-Net step costs about 3.5 plain steps. The meta batch and the
 * shifted passes run in training mode on copies of the non-trainable buffers, so batch norm's
 * running statistics see only the step's own pass, and the shifted passes draw the same dropout
 * masks as the step's pass (the engine is reseeded before each).
 */
final class MetaLookAhead {

    private final ClassifierBlock block;
    private final Device device;
    private final MethodObjective objective;
    private final MetaReweighting method;
    private final MetaBatches metaBatches;
    private final WeightOptimizer optimizer;
    private final List<Parameter> trainable;
    private final ImageFormat format;
    /** The reused direct buffer the meta batch is uploaded through. */
    private final InputBuffer metaInput = new InputBuffer();

    MetaLookAhead(ClassifierBlock block, Device device, MethodObjective objective, MetaReweighting method,
            MetaBatches metaBatches, WeightOptimizer optimizer, List<Parameter> trainable, ImageFormat format) {
        this.block = requireNonNull(block, "block is null");
        this.device = requireNonNull(device, "device is null");
        this.objective = requireNonNull(objective, "objective is null");
        this.method = requireNonNull(method, "method is null");
        this.metaBatches = requireNonNull(metaBatches, "metaBatches is null");
        this.optimizer = requireNonNull(optimizer, "optimizer is null");
        this.trainable = List.copyOf(trainable);
        this.format = requireNonNull(format, "format is null");
    }

    /**
     * Prepares the step's forward pass: makes the weighting net (at the first step its weights are
     * drawn from the engine's generator, before any reseeding) and seeds the engine so that the
     * shifted passes can draw the same dropout masks as the step's pass.
     *
     * @param stepSeed the step's seed
     * @return the seed the engine was set to, for {@link #update}
     */
    int beforeForward(long stepSeed) {
        method.parameters(device);
        int dropoutSeed = (int) Seeds.derive(stepSeed, "look-ahead");
        Engine.getInstance().setRandomSeed(dropoutSeed);
        return dropoutSeed;
    }

    /**
     * Updates the weighting net and returns the real step's per-sample weights. Must run with
     * gradients recorded (inside the step's gradient collector), after the step's forward pass and
     * before its backward; the trainable weights' gradients are zero on entry and on return.
     *
     * @param m the step's manager
     * @param perSample the batch's per-sample losses at θ, with their graph (the step's forward)
     * @param x the batch's images
     * @param y the batch's labels
     * @param view the step's view (epoch, class counts, seed)
     * @param dropoutSeed the seed the step's forward pass ran with ({@link #beforeForward})
     * @return the weights {@code w(φ')} of the updated net, constants
     */
    @SuppressWarnings("try") // grad mode is off while the block runs, not used in it
    NDArray update(NDManager m, NDArray perSample, NDArray x, NDArray y, TrainingView view, int dropoutSeed) {
        List<NDArray> weighting = method.parameters(device);
        NDArray losses = perSample.stopGradient();
        Map<String, NDArray> buffers = new HashMap<>();
        for (Parameter parameter : block.getParameters().values()) {
            if (!parameter.requiresGradient()) {
                buffers.put(parameter.getId(), parameter.getArray().duplicate());
            }
        }
        TrainingView bare = new TrainingView(view.classCounts(), view.epoch(), view.totalEpochs(), m, null, null,
                view.iteration(), view.stepSeed());

        // 1. the virtual step's gradient g = Σ_i w_i ∇l_i (w constant), keeping the step's graph
        NDArray weights;
        try (GradMode off = GradMode.disabled()) {
            weights = method.weights(losses).stopGradient();
        }
        backward(weights.mul(perSample).sum(), true);

        // 2. the virtual weights θ' = θ − lr·g and the meta gradient v = ∇L_meta(θ')
        float learningRate = (float) optimizer.learningRate();
        Map<String, NDArray> theta = new HashMap<>();
        Map<String, NDArray> ahead = new HashMap<>();
        for (Parameter parameter : trainable) {
            NDArray weight = parameter.getArray();
            theta.put(parameter.getId(), weight.stopGradient());
            NDArray next;
            try (NDArray gradient = weight.getGradient()) {
                next = weight.stopGradient().sub(gradient.mul(learningRate));
            }
            next.setRequiresGradient(true);
            ahead.put(parameter.getId(), next);
        }
        LeafGradients.zero(trainable.stream().map(Parameter::getArray).toList());
        HostBatch metaBatch = metaBatches.batch(view.iteration());
        NDArray metaX = metaInput.images(m, metaBatch.images(), metaBatch.size(), format);
        NDArray metaY = metaInput.labels(m, metaBatch.labels());
        ParameterStore aheadStore = new SubstitutedParameters(m, with(ahead, buffers));
        NDList metaFeatures = block.features().forward(aheadStore, new NDList(metaX), true);
        NDArray metaLogits = block.logits(aheadStore, metaFeatures, true).singletonOrThrow();
        backward(MethodObjective.crossEntropy(metaLogits, metaY), false);
        Map<String, NDArray> direction = new HashMap<>();
        NDArray squaredNorm = m.zeros(new Shape());
        for (Map.Entry<String, NDArray> e : ahead.entrySet()) {
            NDArray v = e.getValue().getGradient().stopGradient();
            direction.put(e.getKey(), v);
            squaredNorm = squaredNorm.add(v.square().sum());
        }
        float norm = (float) Math.sqrt(squaredNorm.getFloat());

        // 3. J·v by central differences: two forward passes at θ ± εv
        NDArray jacobianTimesV;
        if (norm > 0 && Float.isFinite(norm)) {
            float epsilon = 0.01f / norm;
            try (GradMode off = GradMode.disabled()) {
                NDArray plus = perSampleLoss(m, with(shifted(theta, direction, epsilon), buffers), x, y, bare,
                        dropoutSeed);
                NDArray minus = perSampleLoss(m, with(shifted(theta, direction, -epsilon), buffers), x, y, bare,
                        dropoutSeed);
                jacobianTimesV = plus.sub(minus).div(2 * epsilon);
            }
        } else {
            jacobianTimesV = losses.zerosLike();
        }

        // 4. ∂L_meta/∂φ = Σ_i ∂w_i/∂φ · (−lr·(J·v)_i), then the weighting net's update
        LeafGradients.zero(weighting);
        backward(method.weights(losses).mul(jacobianTimesV.mul(-learningRate)).sum(), false);
        try (GradMode off = GradMode.disabled()) {
            method.update();
            LeafGradients.zero(weighting);
            return method.weights(losses).stopGradient();
        }
    }

    /** A backward pass inside the step's gradient collector (DJL's keeps no graph and allows one collector). */
    private static void backward(NDArray target, boolean keepGraph) {
        try (NDArray ones = target.onesLike()) {
            JniUtils.backward((PtNDArray) target, (PtNDArray) ones, keepGraph, false);
        }
    }

    private NDArray perSampleLoss(NDManager m, Map<String, NDArray> values, NDArray x, NDArray y, TrainingView view,
            int dropoutSeed) {
        Engine.getInstance().setRandomSeed(dropoutSeed);
        ParameterStore store = new SubstitutedParameters(m, values);
        NDList features = block.features().forward(store, new NDList(x), true);
        NDArray logits = block.logits(store, features, true).singletonOrThrow();
        return objective.compute(logits, y, view).perSampleLoss();
    }

    private static Map<String, NDArray> with(Map<String, NDArray> trainable, Map<String, NDArray> buffers) {
        Map<String, NDArray> all = new HashMap<>(buffers);
        all.putAll(trainable);
        return all;
    }

    private static Map<String, NDArray> shifted(Map<String, NDArray> theta, Map<String, NDArray> direction,
            float epsilon) {
        Map<String, NDArray> out = new HashMap<>();
        for (Map.Entry<String, NDArray> e : theta.entrySet()) {
            out.put(e.getKey(), e.getValue().add(direction.get(e.getKey()).mul(epsilon)));
        }
        return out;
    }
}
