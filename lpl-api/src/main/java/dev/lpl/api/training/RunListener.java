package dev.lpl.api.training;

/**
 * Observes a run: experiment tracking (TensorBoard event files, {@code metrics.csv}), reports,
 * notifications.
 *
 * <p><b>Life cycle.</b> {@link #runStarted} once before the first epoch trained in this process
 * (for a resumed run, {@link RunInfo#startEpoch()} says how many epochs are already done), {@link
 * #epochFinished} after every epoch's evaluation, after the run's own files ({@code
 * metrics.jsonl}, {@code summary.json}, the checkpoint) are written, {@link #runFinished} once
 * after the last epoch, and {@link #close} once when the run's work in this process ends in any
 * way (completed, stopped for a later resume, or failed), also when {@link #runStarted} was never
 * called (a run built only for evaluation). A listener that keeps files open flushes them in
 * {@link #epochFinished}, so a crash loses at most the epoch in progress, and releases them in
 * {@link #close}.
 *
 * <p><b>Failure isolation.</b> Listeners are called on the training thread and must return
 * quickly (hand slow work to a thread of their own). An exception thrown by a listener never
 * stops or fails the run: lpl logs one warning naming the listener and the call, and calls that
 * listener no more in this run (its {@link #close} is still called). A listener therefore need
 * not guard every call, but should leave its files consistent after each one.
 *
 * <p><b>Configuration.</b> A listener is enabled for a run by {@code training.listener.<name>.enabled
 * = true}; its factory ({@link RunListenerFactory}) receives the block {@code
 * training.listener.<name>}.
 */
public interface RunListener extends AutoCloseable {

    /**
     * Called once before the first epoch this process trains.
     *
     * @param run what the run is, where its directory is, and where it resumes
     */
    default void runStarted(RunInfo run) {}

    /**
     * Called after every epoch's evaluation.
     *
     * @param result the epoch's figures; {@link EpochResult#scalars()} holds every figure of the
     *     epoch's {@code metrics.jsonl} line
     */
    default void epochFinished(EpochResult result) {}

    /**
     * Called once after the last epoch (not when the run is stopped or fails).
     *
     * @param last the last epoch's figures, or null when a resumed run had no epoch left to train
     */
    default void runFinished(EpochResult last) {}

    /**
     * Releases what the listener holds (open files). Called once when the run's work in this
     * process ends, however it ends; must not throw for a listener that never started.
     */
    @Override
    default void close() {}
}
