package dev.lpl.core.rundir;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A classifier run's {@code summary.json}: where the run stands and its headline figures, rewritten
 * (atomically) after every epoch, on a stop and on a failure. A run directory without it has no
 * finished epoch. See the package for the conventions (null: absent; {@code NaN}: JSON {@code null}).
 *
 * <p>Model selection ({@code dev.lpl.core.run.ModelSelection}): {@link #selection} is {@code
 * validation} when the run has a validation set, else {@code final}; runs written before selection
 * existed have none, and their {@link #best} was selected on the test set.
 *
 * @param run the run's name
 * @param status where the run stands; {@link RunStatus#UNKNOWN} when the file has none
 * @param stoppedAt where a stopped run stopped; absent unless {@link RunStatus#STOPPED}
 * @param checkpoint the checkpoint a stopped run wrote, relative to the run directory, e.g. {@code
 *     checkpoints/epoch-0003-batch-000017}; absent unless stopped
 * @param reason why a failed run failed; absent unless {@link RunStatus#FAILED}
 * @param method the method's name
 * @param model the model's name
 * @param dataset the dataset's name
 * @param epochsCompleted the number of finished epochs ({@code metrics.jsonl}'s lines)
 * @param epochs the number of epochs planned
 * @param selection {@code validation} or {@code final}: what {@link #best} is selected on; absent in
 *     runs written before selection existed
 * @param last the last finished epoch's figures (JSON {@code final}); absent before the first
 * @param best the figures of the first epoch with the highest validation balanced accuracy ({@code
 *     checkpoints/best}); only with a validation set (older runs: selected on the test set)
 * @param testSelected the figures of the first epoch with the highest test balanced accuracy, an
 *     optimistic figure kept because some papers report it
 * @param phases the two phases of a fine-tuned run ({@code training.fine-tune}); absent otherwise
 * @param classes every class with its last-epoch test accuracy, in class order
 * @param confusion the last epoch's test confusion matrix, row = true class, column = predicted
 * @param calibration the last epoch's reliability bins on the test set
 * @param time where the run's time went, summed over its epochs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Summary(
        String run,
        RunStatus status,
        StoppedAt stoppedAt,
        String checkpoint,
        String reason,
        String method,
        String model,
        String dataset,
        Integer epochsCompleted,
        Integer epochs,
        String selection,
        @JsonProperty("final") Figures last,
        Figures best,
        Figures testSelected,
        List<Phase> phases,
        List<ClassResult> classes,
        List<List<Long>> confusion,
        Calibration calibration,
        Time time) {

    /**
     * Reads a missing status as {@link RunStatus#UNKNOWN}.
     */
    public Summary {
        status = status == null ? RunStatus.UNKNOWN : status;
    }

    /**
     * Returns the last epoch's detail this summary carries.
     *
     * @return its classes, confusion matrix and calibration (each may be null)
     */
    public Detail detail() {
        return new Detail(classes, confusion, calibration);
    }

    /**
     * Where a stopped run stopped.
     *
     * @param epoch the 1-based epoch it stopped in
     * @param batch the batches of that epoch it had finished
     */
    public record StoppedAt(Integer epoch, Integer batch) {}

    /**
     * The headline figures of one epoch, copied from its {@code metrics.jsonl} line ({@link
     * MetricsLine}). The validation figures are present when the line has them.
     *
     * @param epoch the 1-based epoch
     * @param testAccuracy top-1 test accuracy
     * @param top1Error 1 − {@code testAccuracy}
     * @param balancedAccuracy the mean per-class test accuracy
     * @param manyShotAccuracy many-shot test accuracy
     * @param mediumShotAccuracy medium-shot test accuracy
     * @param fewShotAccuracy few-shot test accuracy
     * @param ece the expected calibration error on the test set
     * @param trainLoss the mean training loss
     * @param testLoss the mean test cross-entropy
     * @param trainAccuracy the training accuracy
     * @param valAccuracy top-1 validation accuracy
     * @param valBalancedAccuracy balanced validation accuracy
     * @param valLoss the mean validation cross-entropy
     * @param valEce the expected calibration error on the validation set
     * @param selectedOn {@code validation} ({@code best}) or {@code test} ({@code test_selected});
     *     absent for {@code final}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Figures(
            Integer epoch,
            Double testAccuracy,
            Double top1Error,
            Double balancedAccuracy,
            Double manyShotAccuracy,
            Double mediumShotAccuracy,
            Double fewShotAccuracy,
            Double ece,
            Double trainLoss,
            Double testLoss,
            Double trainAccuracy,
            Double valAccuracy,
            Double valBalancedAccuracy,
            Double valLoss,
            Double valEce,
            String selectedOn) {

        /**
         * Copies an epoch's headline figures from its metrics line; a figure the line lacks is
         * {@code NaN} (written as {@code null}), the validation figures are copied only when the
         * line has them.
         *
         * @param line the epoch's line
         * @param selectedOn what selected the epoch, or null
         * @return the figures
         */
        public static Figures of(MetricsLine line, String selectedOn) {
            double accuracy = MetricsLine.orNaN(line.testAccuracy());
            boolean validated = line.validated();
            return new Figures(line.epoch(), accuracy, 1 - accuracy,
                    MetricsLine.orNaN(line.balancedAccuracy()), MetricsLine.orNaN(line.manyShotAccuracy()),
                    MetricsLine.orNaN(line.mediumShotAccuracy()), MetricsLine.orNaN(line.fewShotAccuracy()),
                    MetricsLine.orNaN(line.ece()), MetricsLine.orNaN(line.trainLoss()),
                    MetricsLine.orNaN(line.testLoss()), MetricsLine.orNaN(line.trainAccuracy()),
                    validated ? MetricsLine.orNaN(line.valAccuracy()) : null,
                    validated ? line.valBalancedAccuracy() : null,
                    validated ? MetricsLine.orNaN(line.valLoss()) : null,
                    validated ? MetricsLine.orNaN(line.valEce()) : null,
                    selectedOn);
        }
    }

    /**
     * One phase of a fine-tuned run.
     *
     * @param name {@code train} or {@code finetune}
     * @param firstEpoch its first epoch (1-based)
     * @param lastEpoch its last epoch (inclusive)
     * @param learningRate {@code "schedule"} (text) for the training phase, the fine-tuning phase's
     *     constant learning rate (a number) for the other
     * @param sampling {@code instance} or {@code class-balanced}
     * @param last the figures of its last epoch (JSON {@code final}); absent until it is finished
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Phase(
            String name,
            Integer firstEpoch,
            Integer lastEpoch,
            Object learningRate,
            String sampling,
            @JsonProperty("final") Figures last) {}

    /**
     * One class.
     *
     * @param index the class index
     * @param name the class name
     * @param trainCount its training count
     * @param shotGroup {@code many}, {@code medium} or {@code few}
     * @param accuracy its test accuracy in the last epoch
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClassResult(
            @JsonProperty("class") Integer index, String name, Long trainCount, String shotGroup, Double accuracy) {}

    /**
     * Reliability bins of the test predictions: the predictions are binned by confidence (the
     * highest probability) into {@link #bins} equal-width bins.
     *
     * @param bins the number of bins
     * @param binLower each bin's lower edge
     * @param binUpper each bin's upper edge
     * @param count each bin's number of predictions
     * @param confidence each bin's mean confidence ({@code NaN} for an empty bin)
     * @param accuracy each bin's accuracy ({@code NaN} for an empty bin)
     * @param ece the expected calibration error: Σ count·|accuracy − confidence| / Σ count
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Calibration(
            Integer bins,
            List<Double> binLower,
            List<Double> binUpper,
            List<Long> count,
            List<Double> confidence,
            List<Double> accuracy,
            Double ece) {}

    /**
     * Where a run's time went, summed over its finished epochs.
     *
     * @param totalSeconds the epochs' wall time, in seconds
     * @param meanStepMs the mean time of a training step, in milliseconds
     * @param meanObjectiveMs the mean time of the method's objective per step, in milliseconds
     * @param dataWaitSeconds the time spent waiting for batches, in seconds
     * @param evalSeconds the time spent evaluating, in seconds
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Time(
            Double totalSeconds,
            Double meanStepMs,
            Double meanObjectiveMs,
            Double dataWaitSeconds,
            Double evalSeconds) {}

    /**
     * The detail of one epoch that the summary carries for the last: classes, confusion matrix and
     * calibration. A checkpoint's {@code state.json} keeps it as its {@code detail}, so that a
     * resumed run's summary is whole.
     *
     * @param classes every class
     * @param confusion the confusion matrix
     * @param calibration the reliability bins
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(List<ClassResult> classes, List<List<Long>> confusion, Calibration calibration) {

        /** No detail (before the first epoch). */
        public static final Detail NONE = new Detail(null, null, null);
    }
}
