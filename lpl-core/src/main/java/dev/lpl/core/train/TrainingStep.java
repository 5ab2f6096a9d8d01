package dev.lpl.core.train;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.api.training.WeightOptimizer;
import dev.lpl.core.data.HostBatch;
import java.util.List;

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
    private final Shape imageShape;
    private final int epochs;
    private final List<Parameter> trainable;
    private final Parameter classifierWeight;
    /** The reused direct buffer the batch is uploaded through (see InputBuffer). */
    private final InputBuffer input = new InputBuffer();

    /**
     * The outcome of a step.
     *
     * @param loss the batch's loss
     * @param objectiveNanos time spent in the method's objective (perturbation, loss, weights)
     */
    public record Result(float loss, long objectiveNanos) {}

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
     * @param imageShape C×H×W
     * @param epochs the number of epochs of the run
     */
    public TrainingStep(
            ClassifierBlock block,
            NDManager manager,
            ParameterStore parameterStore,
            Device device,
            MethodObjective objective,
            WeightOptimizer optimizer,
            long[] classCounts,
            Shape imageShape,
            int epochs) {
        this.block = requireNonNull(block, "block is null");
        this.manager = requireNonNull(manager, "manager is null");
        this.parameterStore = requireNonNull(parameterStore, "parameterStore is null");
        this.device = requireNonNull(device, "device is null");
        this.objective = requireNonNull(objective, "objective is null");
        this.optimizer = requireNonNull(optimizer, "optimizer is null");
        this.classCounts = requireNonNull(classCounts, "classCounts is null").clone();
        this.imageShape = requireNonNull(imageShape, "imageShape is null");
        this.epochs = epochs;
        this.trainable = block.getParameters().values().stream().filter(Parameter::requiresGradient).toList();
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
            NDArray x = input.images(m, batch.images(), new Shape(batch.size()).addAll(imageShape));
            NDArray y = input.labels(m, batch.labels());
            NDArray loss;
            NDArray logits;
            NDArray perSample;
            long objectiveNanos;
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                NDList features = block.features().forward(parameterStore, new NDList(x), true);
                logits = block.classifier().forward(parameterStore, features, true).singletonOrThrow();
                TrainingView view = new TrainingView(classCounts, Math.min(epoch, epochs), epochs, m,
                        features.singletonOrThrow(), classifierWeight == null ? null : classifierWeight.getArray(),
                        iteration, stepSeed);
                long start = System.nanoTime();
                MethodObjective.Result result = objective.compute(logits, y, view);
                loss = result.loss();
                perSample = result.perSampleLoss();
                objectiveNanos = System.nanoTime() - start;
                collector.backward(loss);
            }
            float value = loss.getFloat();
            if (Float.isFinite(value) && variation != null) {
                // outside the gradient collector: no graph is recorded for the raw loss
                variation.add(batch.labels(), objective.rawPerSample(logits.stopGradient(), y).toFloatArray(),
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
            return new Result(value, objectiveNanos);
        }
    }
}
