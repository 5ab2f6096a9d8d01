package dev.lpl.core.train;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.lpl.api.Seeds;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.objective.MetaReweighting;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.api.training.WeightOptimizer;
import dev.lpl.core.data.HostBatch;
import dev.lpl.core.data.MetaBatches;
import dev.lpl.core.gan.GeneratedShare;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One training step, inside its own {@link NDManager} and {@link NDScope} so native memory stays
 * flat: upload → forward (training mode; features and classifier run separately so the method may
 * use the features) → the method's objective → backward → {@link WeightOptimizer#update} of every
 * trainable parameter. The training loop and {@code lpl bench} run exactly this code.
 */
public final class TrainingStep {

    private final ClassifierBlock block;
    private final NDManager manager;
    private final ParameterStore parameterStore;
    private final Device device;
    private final MethodObjective objective;
    private final WeightOptimizer optimizer;
    private final long[] classCounts;
    private final ImageFormat format;
    private final int epochs;
    private final List<Parameter> trainable;
    private final boolean featuresFrozen;
    private final Parameter classifierWeight;
    /** The reused direct buffer the batch is uploaded through (see InputBuffer). */
    private final InputBuffer input = new InputBuffer();
    private final InputBuffer metaInput = new InputBuffer();
    private final MetaReweighting metaReweighting;
    private final MetaBatches metaBatches;
    /** Leaf views of the trainable weights (their storage) for the look-ahead, made at its first step. */
    private Map<String, NDArray> lookAheadLeaves;
    /** The generated share of every batch ({@code data.augment.generated}), or null. */
    private final GeneratedShare generated;

    /**
     * The outcome of a step.
     *
     * @param loss the batch's loss
     * @param objectiveNanos time spent in the method's objective (perturbation, loss, weights)
     * @param correct the batch's samples whose prediction (the argmax of the method's prediction
     *     logits of the unperturbed training-mode logits, before the update) equals their label
     */
    public record Result(float loss, long objectiveNanos, long correct) {}

    /**
     * Creates the step for an initialised network.
     *
     * @param block the network, initialised on {@code manager}
     * @param manager the model's manager
     * @param parameterStore the parameter store of {@code block}
     * @param device the device
     * @param objective the method's objective
     * @param optimizer the weight optimizer (its learning rate is set by the caller)
     * @param classCounts the training count of every class
     * @param format the shape of one image and the layout batches are uploaded in
     * @param epochs the number of epochs of the run
     * @param metaBatches the meta set's batches, which a {@link MetaReweighting} method
     *     (Meta-Weight-Net) learns its weights on; null exactly when the method is none
     * @param generated the generated share appended to every batch, or null for none
     */
    public TrainingStep(
            ClassifierBlock block,
            NDManager manager,
            ParameterStore parameterStore,
            Device device,
            MethodObjective objective,
            WeightOptimizer optimizer,
            long[] classCounts,
            ImageFormat format,
            int epochs,
            MetaBatches metaBatches,
            GeneratedShare generated) {
        this.generated = generated;
        this.metaReweighting = objective.perturbation() instanceof MetaReweighting r ? r : null;
        if ((metaReweighting == null) != (metaBatches == null)) {
            throw new IllegalArgumentException(metaReweighting == null
                    ? "meta batches given to a method without meta re-weighting"
                    : "method " + objective.perturbation() + " learns on a meta set but no meta batches were given");
        }
        this.metaBatches = metaBatches;
        this.block = requireNonNull(block, "block is null");
        this.manager = requireNonNull(manager, "manager is null");
        this.parameterStore = requireNonNull(parameterStore, "parameterStore is null");
        this.device = requireNonNull(device, "device is null");
        this.objective = requireNonNull(objective, "objective is null");
        this.optimizer = requireNonNull(optimizer, "optimizer is null");
        this.classCounts = requireNonNull(classCounts, "classCounts is null").clone();
        this.format = requireNonNull(format, "format is null");
        this.epochs = epochs;
        this.trainable = block.getParameters().values().stream().filter(Parameter::requiresGradient).toList();
        // training.freeze = features: frozen parameters, and batch-norm statistics kept as loaded
        this.featuresFrozen = !block.features().getParameters().isEmpty()
                && block.features().getParameters().values().stream().noneMatch(Parameter::requiresGradient);
        this.classifierWeight = block.linearClassifierWeight().orElse(null);
    }

    /**
     * Runs one step on a batch.
     *
     * @param batch the host batch
     * @param epoch the 0-based epoch (methods may depend on it)
     * @return the loss (possibly non-finite: the caller decides) and the objective's time
     */
    public Result run(HostBatch batch, int epoch) {
        return run(batch, epoch, 0, 0, null);
    }

    /**
     * Runs one step on a batch and records the per-class loss of the raw and perturbed logits.
     *
     * @param batch the host batch
     * @param epoch the 0-based epoch (methods may depend on it)
     * @param iteration the 0-based index of the step in the run
     * @param stepSeed the step's seed (for methods that draw random numbers)
     * @param variation where the per-class losses are added, or null
     * @return the loss (possibly non-finite: the caller decides) and the objective's time
     */
    public Result run(HostBatch batch, int epoch, long iteration, long stepSeed, LossVariation variation) {
        try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager(device)) {
            scope.suppressNotUsedWarning();
            NDArray x = input.images(m, batch.images(), batch.size(), format);
            long[] labels = batch.labels();
            if (generated != null) {
                // the batch's generated share: one forward of the frozen generator, no graph
                GeneratedShare.Mixed mixed = generated.mix(m, x, labels, GeneratedShare.seedOf(stepSeed));
                x = mixed.images();
                labels = mixed.labels();
            }
            NDArray y = input.labels(m, labels);
            NDArray loss;
            NDArray logits;
            NDArray perSample;
            long objectiveNanos;
            long lookAheadStart = System.nanoTime();
            if (metaReweighting != null) {
                lookAhead(m, x, y, epoch, iteration, stepSeed);
            }
            long lookAheadNanos = System.nanoTime() - lookAheadStart;
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                NDList features = block.features().forward(parameterStore, new NDList(x), !featuresFrozen);
                logits = block.logits(parameterStore, features, true).singletonOrThrow();
                TrainingView view = new TrainingView(classCounts, epoch, epochs, m,
                        features.singletonOrThrow(), classifierWeight == null ? null : classifierWeight.getArray(),
                        iteration, stepSeed);
                long start = System.nanoTime();
                MethodObjective.Result result = objective.compute(logits, y, view);
                loss = result.loss();
                perSample = result.perSampleLoss();
                if (metaReweighting != null) {
                    // Σ_i w_i l_i with the weights of the updated weighting net, as constants
                    NDArray weights;
                    try (GradMode off = GradMode.disabled()) {
                        weights = metaReweighting.weights(perSample.stopGradient()).stopGradient();
                    }
                    loss = weights.mul(perSample).sum();
                }
                objectiveNanos = System.nanoTime() - start + lookAheadNanos;
                collector.backward(loss);
            }
            // outside the gradient collector: no graph is recorded for what follows
            NDArray detached = logits.stopGradient();
            // the loss and the count of correct predictions come back in one transfer
            NDArray predicted = objective.predictionLogits(detached, classCounts).argMax(1);
            NDArray correct = (generated == null ? predicted.eq(y)
                    // training accuracy counts the real images only
                    : predicted.get("0:" + batch.size()).eq(y.get("0:" + batch.size())))
                    .toType(DataType.FLOAT32, false).sum();
            NDArray lossValue = loss.stopGradient().toType(DataType.FLOAT32, false).reshape(new Shape());
            float[] lossAndCorrect = NDArrays.stack(new NDList(lossValue, correct)).toFloatArray();
            float value = lossAndCorrect[0];
            if (Float.isFinite(value) && variation != null) {
                variation.add(labels, objective.rawPerSample(detached, y).toFloatArray(),
                        perSample.toFloatArray());
            }
            if (Float.isFinite(value)) {
                for (Parameter parameter : trainable) {
                    NDArray weight = parameter.getArray();
                    try (NDArray grad = weight.getGradient()) {
                        optimizer.update(parameter.getId(), weight, grad);
                    }
                }
            }
            return new Result(value, objectiveNanos, Math.round(lossAndCorrect[1]));
        }
    }

    /**
     * Meta-Weight-Net's look-ahead (Shu et al. 2019, Algorithm 1, steps 5–7). With {@code w(φ)} the
     * weights of the batch's per-sample losses {@code l_i}, the virtual step {@code θ' = θ − lr·Σ_i
     * w_i ∇l_i(θ)} and {@code v = ∇L_meta(θ')} the gradient of the meta batch's cross-entropy at
     * the virtual weights, the chain rule through the virtual step gives
     *
     * <pre>
     * ∂L_meta/∂φ = Σ_i ∂w_i/∂φ · (−lr · ⟨v, ∇l_i(θ)⟩)
     * </pre>
     *
     * (the losses enter the weighting net detached, as in the authors' code). The second-order
     * term {@code ⟨v, ∇l_i(θ)⟩}, each sample's gradient along v, is the Jacobian–vector product
     * {@code J·v} of the per-sample losses, taken here by central differences, {@code (l_i(θ + εv)
     * − l_i(θ − εv))/2ε} with {@code ε = 0.01/‖v‖} (as DARTS does for its Hessian–vector product):
     * two forward passes without autograd. PyTorch's exact route, a backward that creates a graph,
     * leaves a cycle between each weight and its gradient that DJL cannot break (it cannot reset
     * {@code .grad}), so it would leak a graph per step; {@code MetaLookAheadTest} checks this
     * estimate against that exact computation.
     *
     * <p>Every forward pass here runs in training mode on copies of the non-trainable buffers, so
     * BatchNorm's running statistics see only the real step, and with the same dropout draws
     * (the engine is reseeded before each pass on the batch).
     */
    private void lookAhead(NDManager m, NDArray x, NDArray y, int epoch, long iteration, long stepSeed) {
        List<NDArray> weighting = metaReweighting.parameters(device);
        HostBatch metaBatch = metaBatches.batch(iteration);
        NDArray metaX = metaInput.images(m, metaBatch.images(), metaBatch.size(), format);
        NDArray metaY = metaInput.labels(m, metaBatch.labels());
        float learningRate = (float) optimizer.learningRate();
        int dropoutSeed = (int) Seeds.derive(stepSeed, "look-ahead");
        Map<String, NDArray> buffers = new HashMap<>();
        for (Parameter parameter : block.getParameters().values()) {
            if (!parameter.requiresGradient()) {
                buffers.put(parameter.getId(), parameter.getArray().duplicate());
            }
        }
        TrainingView view = new TrainingView(classCounts, epoch, epochs, m, null, null, iteration,
                stepSeed);

        // 1. the batch's losses at θ and the virtual step's gradient Σ_i w_i ∇l_i (w constant)
        Map<String, NDArray> leaves = lookAheadLeaves();
        LeafGradients.zero(List.copyOf(leaves.values()));
        NDArray losses;
        try (GradientCollector collector = m.getEngine().newGradientCollector()) {
            NDArray perSample = perSampleLoss(m, with(leaves, buffers), x, y, view, dropoutSeed);
            NDArray weights;
            try (GradMode off = GradMode.disabled()) {
                weights = metaReweighting.weights(perSample.stopGradient()).stopGradient();
            }
            collector.backward(weights.mul(perSample).sum());
            losses = perSample.stopGradient();
        }

        // 2. the virtual weights θ' = θ − lr·g and the meta gradient v = ∇L_meta(θ')
        Map<String, NDArray> ahead = new HashMap<>();
        for (Map.Entry<String, NDArray> e : leaves.entrySet()) {
            NDArray next = e.getValue().stopGradient().sub(e.getValue().getGradient().mul(learningRate));
            next.setRequiresGradient(true);
            ahead.put(e.getKey(), next);
        }
        try (GradientCollector collector = m.getEngine().newGradientCollector()) {
            ParameterStore store = new SubstitutedParameters(m, with(ahead, buffers));
            NDList features = block.features().forward(store, new NDList(metaX), true);
            NDArray metaLogits = block.logits(store, features, true).singletonOrThrow();
            collector.backward(MethodObjective.crossEntropy(metaLogits, metaY));
        }
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
                NDArray plus = perSampleLoss(m, with(shifted(leaves, direction, epsilon), buffers), x, y, view,
                        dropoutSeed);
                NDArray minus = perSampleLoss(m, with(shifted(leaves, direction, -epsilon), buffers), x, y, view,
                        dropoutSeed);
                jacobianTimesV = plus.sub(minus).div(2 * epsilon);
            }
        } else {
            jacobianTimesV = losses.zerosLike();
        }

        // 4. ∂L_meta/∂φ = Σ_i ∂w_i/∂φ · (−lr·(J·v)_i), then the weighting net's update
        LeafGradients.zero(weighting);
        try (GradientCollector collector = m.getEngine().newGradientCollector()) {
            collector.backward(metaReweighting.weights(losses).mul(jacobianTimesV.mul(-learningRate)).sum());
        }
        try (GradMode off = GradMode.disabled()) {
            metaReweighting.update();
            LeafGradients.zero(weighting);
        }
        Engine.getInstance().setRandomSeed(dropoutSeed); // the real step's dropout as in the look-ahead
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

    private static Map<String, NDArray> shifted(Map<String, NDArray> leaves, Map<String, NDArray> direction,
            float epsilon) {
        Map<String, NDArray> out = new HashMap<>();
        for (Map.Entry<String, NDArray> e : leaves.entrySet()) {
            out.put(e.getKey(), e.getValue().stopGradient().add(direction.get(e.getKey()).mul(epsilon)));
        }
        return out;
    }

    /**
     * Returns leaf arrays that share the storage of the trainable weights (PyTorch's {@code
     * w.detach().requires_grad_()}), so the look-ahead's gradients land on them and not on the
     * weights' own. They are made once, at the first look-ahead (after a checkpoint was restored).
     */
    private Map<String, NDArray> lookAheadLeaves() {
        if (lookAheadLeaves == null) {
            Map<String, NDArray> leaves = new HashMap<>();
            for (Parameter parameter : trainable) {
                NDArray leaf = parameter.getArray().stopGradient();
                NDScope.unregister(leaf);
                leaf.attach(manager);
                leaf.setRequiresGradient(true);
                leaves.put(parameter.getId(), leaf);
            }
            lookAheadLeaves = leaves;
        }
        return lookAheadLeaves;
    }
}
