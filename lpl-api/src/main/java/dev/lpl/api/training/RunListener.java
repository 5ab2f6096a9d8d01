package dev.lpl.api.training;

/**
 * Observes a run. Listeners are called on the training thread and must return quickly (hand slow
 * work to a thread of their own); an exception thrown by a listener stops the run.
 */
public interface RunListener {

    /**
     * Called once before the first epoch.
     *
     * @param run what the run is
     */
    default void runStarted(RunInfo run) {}

    /**
     * Called after every epoch's evaluation.
     *
     * @param result the epoch's figures
     */
    default void epochFinished(EpochResult result) {}

    /**
     * Called once after the last epoch (not when the run fails).
     *
     * @param last the last epoch's figures
     */
    default void runFinished(EpochResult last) {}
}
