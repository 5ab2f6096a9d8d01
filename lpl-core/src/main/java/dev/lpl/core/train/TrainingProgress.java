package dev.lpl.core.train;

import dev.lpl.api.training.EpochResult;

/** Receives progress of a run as it happens, e.g. to drive a progress bar. Called on the training thread. */
public interface TrainingProgress {

    /** Progress that is not shown. */
    TrainingProgress NONE = new TrainingProgress() {};

    /**
     * Called before the first batch of an epoch.
     *
     * @param epoch the 0-based epoch
     * @param epochs the number of epochs
     * @param batches the number of training batches of the epoch
     */
    default void epochStarted(int epoch, int epochs, int batches) {}

    /**
     * Called after each training step.
     *
     * @param batch the 0-based batch index within the epoch
     * @param loss the batch's loss
     */
    default void batchFinished(int batch, double loss) {}

    /**
     * Called when training of the epoch is done and evaluation starts.
     *
     * @param epoch the 0-based epoch
     */
    default void evaluationStarted(int epoch) {}

    /**
     * Called after the validation set was evaluated, before {@link #epochFinished}, in runs that
     * have a validation set ({@code data.validation}).
     *
     * @param epoch the 0-based epoch
     * @param balancedAccuracy the validation set's balanced accuracy
     */
    default void validationEvaluated(int epoch, double balancedAccuracy) {}

    /**
     * Called after an epoch's evaluation.
     *
     * @param result the epoch's figures
     * @param timings where the epoch's time went
     */
    default void epochFinished(EpochResult result, EpochTimings timings) {}
}
