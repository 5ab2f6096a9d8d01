package dev.lpl.core.train;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.lpl.api.LplException;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.training.EpochResult;
import dev.lpl.api.training.LearningRateSchedule;
import dev.lpl.api.training.WeightOptimizer;
import dev.lpl.core.data.BatchLoader;
import dev.lpl.core.data.HostBatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The training loop (our own, not DJL's {@code EasyTrain}; see ENGINEERING.md): per batch, the
 * scheduled learning rate and one {@link TrainingStep} (its own NDManager and NDScope: forward →
 * the method's objective → backward → update); per epoch, evaluation on the test set.
 *
 * <p>A non-finite loss stops the run with an {@link LplException}.
 */
public final class TrainingEngine {

    private final WeightOptimizer optimizer;
    private final LearningRateSchedule schedule;
    private final BatchLoader trainLoader;
    private final Evaluator evaluator;
    private final long[] classCounts;
    private final int epochs;
    private final TrainingStep step;
    private final Timer stepTimer;
    private final Timer objectiveTimer;
    private final Timer dataTimer;
    private final Timer evalTimer;

    /**
     * Creates the engine for an initialised network.
     *
     * @param block the network, initialised on {@code manager}
     * @param manager the model's manager
     * @param parameterStore the parameter store of {@code block} (shared with the evaluator)
     * @param device the device
     * @param objective the method's objective
     * @param optimizer the weight optimizer
     * @param schedule the learning-rate schedule
     * @param trainLoader the training batches
     * @param evaluator the test-set evaluator
     * @param classCounts the training count of every class
     * @param imageShape C×H×W
     * @param epochs the number of epochs
     * @param meters where step timings are recorded
     */
    public TrainingEngine(
            ClassifierBlock block,
            NDManager manager,
            ParameterStore parameterStore,
            Device device,
            MethodObjective objective,
            WeightOptimizer optimizer,
            LearningRateSchedule schedule,
            BatchLoader trainLoader,
            Evaluator evaluator,
            long[] classCounts,
            Shape imageShape,
            int epochs,
            MeterRegistry meters) {
        this.optimizer = requireNonNull(optimizer, "optimizer is null");
        this.schedule = requireNonNull(schedule, "schedule is null");
        this.trainLoader = requireNonNull(trainLoader, "trainLoader is null");
        this.evaluator = requireNonNull(evaluator, "evaluator is null");
        this.classCounts = requireNonNull(classCounts, "classCounts is null").clone();
        this.epochs = epochs;
        this.step = new TrainingStep(block, manager, parameterStore, device, objective, optimizer, classCounts,
                imageShape, epochs);
        this.stepTimer = Timer.builder("lpl.train.step").description("one training step").register(meters);
        this.objectiveTimer = Timer.builder("lpl.train.objective")
                .description("the method's perturbation and loss within a step").register(meters);
        this.dataTimer = Timer.builder("lpl.train.data.wait")
                .description("time the training thread waited for a batch").register(meters);
        this.evalTimer = Timer.builder("lpl.eval").description("one test-set evaluation").register(meters);
    }

    /**
     * The outcome of one epoch.
     *
     * @param result the figures listeners see
     * @param timings where the time went
     * @param metrics the test-set metrics (confusion matrix included)
     */
    public record EpochOutcome(EpochResult result, EpochTimings timings, ClassificationMetrics metrics) {}

    /**
     * Trains from {@code startEpoch} to the last epoch.
     *
     * @param startEpoch the first epoch to run (0 for a new run)
     * @param progress progress display
     * @param onEpoch called after every epoch, before the next starts
     * @return the outcome of the last epoch run, or null if none was run
     */
    public EpochOutcome train(int startEpoch, TrainingProgress progress, Consumer<EpochOutcome> onEpoch) {
        EpochOutcome last = null;
        for (int epoch = startEpoch; epoch < epochs; epoch++) {
            last = trainEpoch(epoch, progress);
            onEpoch.accept(last);
        }
        return last;
    }

    private EpochOutcome trainEpoch(int epoch, TrainingProgress progress) {
        long epochStart = System.nanoTime();
        int batches = trainLoader.batchesPerEpoch();
        progress.epochStarted(epoch, epochs, batches);
        Iterator<HostBatch> it = trainLoader.epoch(epoch);
        double lossSum = 0;
        long samples = 0;
        long stepNanos = 0;
        long objectiveNanos = 0;
        long waitNanos = 0;
        int batch = 0;
        while (true) {
            long waitStart = System.nanoTime();
            if (!it.hasNext()) {
                break;
            }
            HostBatch hostBatch = it.next();
            long stepStart = System.nanoTime();
            waitNanos += stepStart - waitStart;
            optimizer.setLearningRate(
                    optimizer.baseLearningRate() * schedule.factor(epoch, batch / (double) batches, epochs));
            TrainingStep.Result step = this.step.run(hostBatch, epoch);
            float loss = step.loss();
            if (!Float.isFinite(loss)) {
                throw new LplException("training loss became " + loss + " at epoch " + (epoch + 1)
                        + ", batch " + (batch + 1) + "; lower optimizer.sgd.learning-rate or the method's bounds");
            }
            long objectiveTime = step.objectiveNanos();
            long stepTime = System.nanoTime() - stepStart;
            stepNanos += stepTime;
            objectiveNanos += objectiveTime;
            stepTimer.record(stepTime, TimeUnit.NANOSECONDS);
            objectiveTimer.record(objectiveTime, TimeUnit.NANOSECONDS);
            dataTimer.record(stepStart - waitStart, TimeUnit.NANOSECONDS);
            lossSum += (double) loss * hostBatch.size();
            samples += hostBatch.size();
            progress.batchFinished(batch, loss);
            batch++;
        }
        progress.evaluationStarted(epoch);
        long evalStart = System.nanoTime();
        ClassificationMetrics metrics = new ClassificationMetrics(evaluator.confusion(), classCounts);
        long evalNanos = System.nanoTime() - evalStart;
        evalTimer.record(evalNanos, TimeUnit.NANOSECONDS);
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        EpochResult result = new EpochResult(
                epoch,
                epochs,
                lossSum / Math.max(1, samples),
                metrics.accuracy(),
                metrics.balancedAccuracy(),
                metrics.groupAccuracy(ShotGroup.MANY),
                metrics.groupAccuracy(ShotGroup.MEDIUM),
                metrics.groupAccuracy(ShotGroup.FEW),
                metrics.perClassAccuracy(),
                optimizer.learningRate(),
                seconds);
        EpochTimings timings = new EpochTimings(
                stepNanos / 1e9, objectiveNanos / 1e9, waitNanos / 1e9, evalNanos / 1e9, seconds, batch);
        progress.epochFinished(result, timings);
        return new EpochOutcome(result, timings, metrics);
    }
}
