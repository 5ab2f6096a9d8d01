package dev.lpl.core.train;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
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
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.objective.MetaReweighting;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.api.training.WeightOptimizer;
import dev.lpl.core.data.HostBatch;
import dev.lpl.core.data.MetaBatches;
import dev.lpl.core.gan.GeneratedShare;
import java.util.List;

/**
 * One training step, inside its own {@link NDManager} and {@link NDScope} so native memory stays
 * flat: upload → forward (training mode; features and classifier run separately so the method may
 * use the features) → the method's objective → backward → {@link WeightOptimizer#update} of every
 * trainable parameter. The training loop and {@code lpl bench} run exactly this code. A method that
 * learns its sample weights on a meta set (Meta-Weight-Net) updates them between the objective and
 * the backward, on this step's forward pass ({@link MetaLookAhead}).
 */
public final class TrainingStep {

    private final ClassifierBlock block;
    private final NDManager manager;
    /** The store the network runs with: the master weights, or their low-precision copies. */
    private final ParameterStore parameterStore;
    private final Precision precision;
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
    /** Meta-Weight-Net's look-ahead, or null for every other method. */
    private final MetaLookAhead lookAhead;
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
     * @param precision the precision the network runs in
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
            Precision precision,
            int epochs,
            MetaBatches metaBatches,
            GeneratedShare generated) {
        this.generated = generated;
        MetaReweighting metaReweighting = objective.perturbation() instanceof MetaReweighting r ? r : null;
        if ((metaReweighting == null) != (metaBatches == null)) {
            throw new IllegalArgumentException(metaReweighting == null
                    ? "meta batches given to a method without meta re-weighting"
                    : "method " + objective.perturbation() + " learns on a meta set but no meta batches were given");
        }
        this.block = requireNonNull(block, "block is null");
        this.manager = requireNonNull(manager, "manager is null");
        this.precision = requireNonNull(precision, "precision is null");
        this.parameterStore = precision.parameters(requireNonNull(parameterStore, "parameterStore is null"));
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
        if (metaReweighting != null && precision != Precision.FP32) {
            throw new IllegalArgumentException("Meta-Weight-Net's look-ahead runs in fp32 only");
        }
        this.lookAhead = metaReweighting == null ? null : new MetaLookAhead(block, device, objective, metaReweighting,
                metaBatches, optimizer, trainable, format);
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
            x = precision.input(x);
            NDArray y = input.labels(m, labels);
            NDArray loss;
            NDArray logits;
            NDArray perSample;
            long objectiveNanos;
            int dropoutSeed = lookAhead == null ? 0 : lookAhead.beforeForward(stepSeed);
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                NDList features = block.features().forward(parameterStore, new NDList(x), !featuresFrozen);
                logits = precision.output(block.logits(parameterStore, features, true).singletonOrThrow());
                // the method sees float32 features and logits whatever the network's precision
                TrainingView view = new TrainingView(classCounts, epoch, epochs, m,
                        precision.output(features.singletonOrThrow()),
                        classifierWeight == null ? null : classifierWeight.getArray(), iteration, stepSeed);
                long start = System.nanoTime();
                MethodObjective.Result result = objective.compute(logits, y, view);
                loss = result.loss();
                perSample = result.perSampleLoss();
                if (lookAhead != null) {
                    // Σ_i w_i l_i with the weights of the weighting net the look-ahead updated, as constants
                    loss = lookAhead.update(m, perSample, x, y, view, dropoutSeed).mul(perSample).sum();
                }
                objectiveNanos = System.nanoTime() - start;
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
}
