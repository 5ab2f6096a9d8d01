package dev.lpl.core.train;

import static java.util.Objects.requireNonNull;

import ai.djl.engine.Engine;
import dev.lpl.api.LplException;
import dev.lpl.api.Seeds;
import dev.lpl.api.training.EpochResult;
import dev.lpl.api.training.LearningRateSchedule;
import dev.lpl.api.training.WeightOptimizer;
import dev.lpl.core.data.BatchLoader;
import dev.lpl.core.data.HostBatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The training loop (our own, not DJL's {@code EasyTrain}; see {@code
 * docs/engineering.md#own-training-loop}): per batch, the scheduled learning rate and one {@link
 * TrainingStep} (its own NDManager and NDScope: forward → the method's objective → backward →
 * update); per epoch, evaluation on the test set and, when the run has one, on the validation set
 * (the same metrics; only the validation set selects a model).
 *
 * <p>Everything random is a function of the run's seed and the position in training: the engine's
 * generator (dropout) is reseeded before every step from {@code (seed, epoch, batch)}, and the
 * loader's order and augmentation depend only on the seed, epoch and batch. So a run stopped at
 * any step and resumed from its checkpoint computes exactly what the uninterrupted run computes.
 *
 * <p>A run may end with a class-balanced fine-tuning phase ({@link FineTune}): the same loop with
 * class-balanced epochs and a constant low learning rate; every epoch says its {@link #phase}.
 *
 * <p>A non-finite loss stops the run with an {@link LplException} before the weights are updated.
 */
public final class TrainingEngine {

    private final WeightOptimizer optimizer;
    private final LearningRateSchedule schedule;
    private final BatchLoader trainLoader;
    private final Evaluator evaluator;
    private final Evaluator validationEvaluator;
    private final long[] classCounts;
    private final int epochs;
    private final long seed;
    private final TrainingStep step;
    private final Timer stepTimer;
    private final Timer objectiveTimer;
    private final Timer dataTimer;
    private final Timer evalTimer;
    private final FineTune fineTune;

    /**
     * The class-balanced fine-tuning phase (Cui et al., CVPR 2018) at the end of a run: from {@code
     * startEpoch} on, the loader draws class-balanced epochs and the learning rate is the constant
     * {@code learningRate} instead of the schedule's.
     *
     * @param startEpoch the first 0-based epoch of the phase
     * @param learningRate the phase's constant learning rate
     */
    public record FineTune(int startEpoch, double learningRate) {

        /** The name of the first phase. */
        public static final String TRAIN = "train";

        /** The name of the fine-tuning phase. */
        public static final String FINETUNE = "finetune";
    }

    /**
     * Where training stands: the next batch to run and the accumulators of the epoch so far.
     *
     * @param epoch the 0-based epoch
     * @param batch the next batch of that epoch (0 at an epoch boundary)
     * @param lossSum the sum of batch loss × batch size so far in the epoch
     * @param samples the samples so far in the epoch
     * @param correct the samples so far in the epoch whose training prediction was right ({@link
     *     TrainingStep.Result#correct()})
     * @param variationSums the per-class raw and perturbed loss sums so far ({@link LossVariation#sums()})
     */
    public record Position(int epoch, int batch, double lossSum, long samples, long correct, double[][] variationSums) {

        /**
         * Returns the position at the start of an epoch.
         *
         * @param epoch the 0-based epoch
         * @param numClasses C
         * @return the position
         */
        public static Position startOf(int epoch, int numClasses) {
            return new Position(epoch, 0, 0, 0, 0, new double[][] {new double[numClasses], new double[numClasses]});
        }
    }

    /**
     * The evaluation of the network on one held-out set (test or validation).
     *
     * @param metrics accuracy, balanced accuracy, shot groups (by training count), confusion matrix
     * @param calibration the confidence calibration of the predictions
     * @param loss the mean cross-entropy of the prediction logits
     */
    public record SetEvaluation(ClassificationMetrics metrics, Calibration calibration, double loss) {}

    /**
     * The outcome of one epoch.
     *
     * @param result the figures listeners see
     * @param timings where the time went
     * @param metrics the test-set metrics (confusion matrix included)
     * @param calibration the confidence calibration of the test predictions
     * @param lossVariation the per-class relative loss variation {@code (l' − l)/l} over the epoch
     * @param trainAccuracy the fraction of the epoch's training samples whose prediction (argmax of
     *     the method's prediction logits of the unperturbed training-mode logits, taken in the step
     *     before its update, on the augmented batch) equals the label
     * @param testLoss the mean cross-entropy of the prediction logits on the test set
     * @param validation the validation-set evaluation, or null when the run has no validation set
     */
    public record EpochOutcome(
            EpochResult result,
            EpochTimings timings,
            ClassificationMetrics metrics,
            Calibration calibration,
            double[] lossVariation,
            double trainAccuracy,
            double testLoss,
            SetEvaluation validation) {}

    /** What the caller does at the end of an epoch and when a stop was requested. */
    public interface Hooks {

        /**
         * Called after every epoch's evaluation (metrics, summary, checkpoint).
         *
         * @param outcome the epoch's outcome
         */
        void epochFinished(EpochOutcome outcome);

        /**
         * Called when training stops on request after a completed step (a mid-epoch checkpoint).
         *
         * @param position where training stands
         */
        void stopped(Position position);
    }

    /**
     * Creates the engine.
     *
     * @param step the training step
     * @param optimizer the weight optimizer (the step's)
     * @param schedule the learning-rate schedule
     * @param trainLoader the training batches
     * @param evaluator the test-set evaluator
     * @param validationEvaluator the validation-set evaluator, or null when the run has none
     * @param classCounts the training count of every class
     * @param epochs the number of epochs
     * @param seed the run's root seed
     * @param meters where step timings are recorded
     * @param fineTune the fine-tuning phase, or null for a single-phase run (the loader must draw
     *     class-balanced epochs from its start epoch)
     */
    public TrainingEngine(
            TrainingStep step,
            WeightOptimizer optimizer,
            LearningRateSchedule schedule,
            BatchLoader trainLoader,
            Evaluator evaluator,
            Evaluator validationEvaluator,
            long[] classCounts,
            int epochs,
            long seed,
            MeterRegistry meters,
            FineTune fineTune) {
        if (fineTune != null && (fineTune.startEpoch() < 1 || fineTune.startEpoch() >= epochs)) {
            throw new IllegalArgumentException("fine-tuning must start in [1, " + (epochs - 1) + "]: " + fineTune);
        }
        this.fineTune = fineTune;
        this.step = requireNonNull(step, "step is null");
        this.optimizer = requireNonNull(optimizer, "optimizer is null");
        this.schedule = requireNonNull(schedule, "schedule is null");
        this.trainLoader = requireNonNull(trainLoader, "trainLoader is null");
        this.evaluator = requireNonNull(evaluator, "evaluator is null");
        this.validationEvaluator = validationEvaluator;
        this.classCounts = requireNonNull(classCounts, "classCounts is null").clone();
        this.epochs = epochs;
        this.seed = seed;
        this.stepTimer = Timer.builder("lpl.train.step").description("one training step").register(meters);
        this.objectiveTimer = Timer.builder("lpl.train.objective")
                .description("the method's perturbation and loss within a step").register(meters);
        this.dataTimer = Timer.builder("lpl.train.data.wait")
                .description("time the training thread waited for a batch").register(meters);
        this.evalTimer = Timer.builder("lpl.eval")
                .description("one evaluation (test set, and validation set when there is one)").register(meters);
    }

    /**
     * Returns the number of epochs.
     *
     * @return the epochs of the run
     */
    public int epochs() {
        return epochs;
    }

    /**
     * Returns the phase an epoch belongs to.
     *
     * @param epoch the 0-based epoch
     * @return {@link FineTune#TRAIN} or {@link FineTune#FINETUNE}
     */
    public String phase(int epoch) {
        return fineTune != null && epoch >= fineTune.startEpoch() ? FineTune.FINETUNE : FineTune.TRAIN;
    }

    /**
     * Returns the fine-tuning phase.
     *
     * @return the phase, if the run has one
     */
    public java.util.Optional<FineTune> fineTune() {
        return java.util.Optional.ofNullable(fineTune);
    }

    /**
     * Trains from a position to the last epoch, or until a stop is requested.
     *
     * @param start where to start (epoch 0, batch 0 for a new run)
     * @param progress progress display
     * @param hooks called after every epoch and on a stop
     * @param stopRequested polled after every step
     * @return true if training reached the last epoch, false if it stopped on request
     */
    public boolean train(Position start, TrainingProgress progress, Hooks hooks, BooleanSupplier stopRequested) {
        Position position = start;
        for (int epoch = start.epoch(); epoch < epochs; epoch++) {
            if (epoch != start.epoch()) {
                position = Position.startOf(epoch, classCounts.length);
            }
            EpochOutcome outcome = trainEpoch(position, progress, hooks, stopRequested);
            if (outcome == null) {
                return false;
            }
            hooks.epochFinished(outcome);
        }
        return true;
    }

    /**
     * Evaluates the current network on the test set.
     *
     * @return the metrics and calibration
     */
    public Evaluator.Result evaluate() {
        return evaluator.evaluate();
    }

    /**
     * Evaluates the current network with other prediction logits.
     *
     * @param predictionLogits maps raw logits to those predictions are taken from
     * @return the metrics and calibration
     */
    public Evaluator.Result evaluate(java.util.function.UnaryOperator<ai.djl.ndarray.NDArray> predictionLogits) {
        return evaluator.evaluate(predictionLogits);
    }

    /**
     * Returns the class probabilities of other images, computed as the test set's predictions are
     * ({@link Evaluator#probabilities(dev.lpl.api.data.ImageSet, java.util.function.UnaryOperator)}).
     *
     * @param images the images, of the test set's shape
     * @param predictionLogits maps raw logits to those the probabilities are the softmax of, or null
     *     for the method's own prediction logits
     * @return N×C probabilities, row-major
     */
    public float[] probabilities(dev.lpl.api.data.ImageSet images,
            java.util.function.UnaryOperator<ai.djl.ndarray.NDArray> predictionLogits) {
        return predictionLogits == null ? evaluator.probabilities(images)
                : evaluator.probabilities(images, predictionLogits);
    }

    /**
     * Evaluates the current network on the validation set.
     *
     * @return the metrics and calibration, if the run has a validation set
     */
    public java.util.Optional<Evaluator.Result> evaluateValidation() {
        return java.util.Optional.ofNullable(validationEvaluator).map(Evaluator::evaluate);
    }

    private EpochOutcome trainEpoch(
            Position start, TrainingProgress progress, Hooks hooks, BooleanSupplier stopRequested) {
        int epoch = start.epoch();
        long epochStart = System.nanoTime();
        int batches = trainLoader.batchesPerEpoch();
        progress.epochStarted(epoch, epochs, batches);
        Iterator<HostBatch> it = trainLoader.epoch(epoch, start.batch());
        LossVariation variation = new LossVariation(classCounts.length);
        variation.restore(start.variationSums());
        double lossSum = start.lossSum();
        long samples = start.samples();
        long correct = start.correct();
        long stepNanos = 0;
        long objectiveNanos = 0;
        long waitNanos = 0;
        int batch = start.batch();
        Engine engine = Engine.getInstance();
        while (true) {
            long waitStart = System.nanoTime();
            if (!it.hasNext()) {
                break;
            }
            HostBatch hostBatch = it.next();
            long stepStart = System.nanoTime();
            waitNanos += stepStart - waitStart;
            optimizer.setLearningRate(phase(epoch).equals(FineTune.FINETUNE) ? fineTune.learningRate()
                    : optimizer.baseLearningRate() * schedule.factor(epoch, batch / (double) batches, epochs));
            long stepSeed = Seeds.derive(Seeds.derive(seed, "step", epoch), "batch", batch);
            engine.setRandomSeed((int) stepSeed);
            TrainingStep.Result result = step.run(hostBatch, epoch, (long) epoch * batches + batch,
                    Seeds.derive(stepSeed, "method"), variation);
            float loss = result.loss();
            if (!Float.isFinite(loss)) {
                throw new NonFiniteLossException(loss, epoch, batch);
            }
            long stepTime = System.nanoTime() - stepStart;
            stepNanos += stepTime;
            objectiveNanos += result.objectiveNanos();
            stepTimer.record(stepTime, TimeUnit.NANOSECONDS);
            objectiveTimer.record(result.objectiveNanos(), TimeUnit.NANOSECONDS);
            dataTimer.record(stepStart - waitStart, TimeUnit.NANOSECONDS);
            lossSum += (double) loss * hostBatch.size();
            samples += hostBatch.size();
            correct += result.correct();
            progress.batchFinished(batch, loss);
            batch++;
            if (batch < batches && stopRequested.getAsBoolean()) {
                hooks.stopped(new Position(epoch, batch, lossSum, samples, correct, variation.sums()));
                return null;
            }
        }
        progress.evaluationStarted(epoch);
        long evalStart = System.nanoTime();
        Evaluator.Result evaluation = evaluator.evaluate();
        ClassificationMetrics metrics = new ClassificationMetrics(evaluation.confusion(), classCounts);
        SetEvaluation validation = null;
        if (validationEvaluator != null) {
            Evaluator.Result v = validationEvaluator.evaluate();
            validation = new SetEvaluation(new ClassificationMetrics(v.confusion(), classCounts), v.calibration(),
                    v.loss());
        }
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
        EpochTimings timings = new EpochTimings(stepNanos / 1e9, objectiveNanos / 1e9, waitNanos / 1e9,
                evalNanos / 1e9, seconds, batch - start.batch());
        if (validation != null) {
            progress.validationEvaluated(epoch, validation.metrics().balancedAccuracy());
        }
        progress.epochFinished(result, timings);
        return new EpochOutcome(result, timings, metrics, evaluation.calibration(), variation.relative(),
                samples == 0 ? Double.NaN : (double) correct / samples, evaluation.loss(), validation);
    }

    /** The loss became NaN or infinite; the weights of that step were not updated. */
    public static final class NonFiniteLossException extends LplException {

        private static final long serialVersionUID = 1L;

        private final int epoch;
        private final int batch;

        NonFiniteLossException(float loss, int epoch, int batch) {
            super("training loss became " + loss + " at epoch " + (epoch + 1) + ", batch " + (batch + 1)
                    + "; lower optimizer.sgd.learning-rate or the method's bounds");
            this.epoch = epoch;
            this.batch = batch;
        }

        /**
         * Returns the 0-based epoch of the failing step.
         *
         * @return the epoch
         */
        public int epoch() {
            return epoch;
        }

        /**
         * Returns the 0-based batch of the failing step.
         *
         * @return the batch
         */
        public int batch() {
            return batch;
        }
    }
}
