package dev.lpl.api.perturbation;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Optional;

/**
 * A read-only view of the training state that a {@link Perturbation} may use: the training class
 * counts, the position in the schedule, the manager of the current step and — when the network
 * exposes them — the batch's penultimate features and the classifier's weight matrix (ISDA), and
 * the step's position in the run (the 0-based iteration, for schedules per iteration such as
 * L-Softmax's λ) with the step's own seed (for methods that draw random numbers, such as
 * DisturbLabel: a function of the run's seed and the step, so a resumed run draws the same).
 *
 * <p>Arrays created on {@link #manager()} are freed at the end of the step; a perturbation must
 * create its temporaries there (never on a longer-lived manager) so native memory stays flat.
 */
public final class TrainingView {

    private final long[] classCounts;
    private final int epoch;
    private final int totalEpochs;
    private final NDManager manager;
    private final NDArray features;
    private final NDArray classifierWeight;
    private final long iteration;
    private final long stepSeed;

    /**
     * Creates a view without features or classifier weights.
     *
     * @param classCounts the training count {@code n_c} of every class (length C)
     * @param epoch the current epoch, 0-based
     * @param totalEpochs the number of epochs of the run
     * @param manager the manager of the current step
     */
    public TrainingView(long[] classCounts, int epoch, int totalEpochs, NDManager manager) {
        this(classCounts, epoch, totalEpochs, manager, null, null);
    }

    /**
     * Creates a view.
     *
     * @param classCounts the training count {@code n_c} of every class (length C)
     * @param epoch the current epoch, 0-based
     * @param totalEpochs the number of epochs of the run
     * @param manager the manager of the current step
     * @param features the batch's B×D penultimate features (attached to the graph), or null
     * @param classifierWeight the C×D weight of a linear classifier (the live parameter), or null
     */
    public TrainingView(
            long[] classCounts,
            int epoch,
            int totalEpochs,
            NDManager manager,
            NDArray features,
            NDArray classifierWeight) {
        this(classCounts, epoch, totalEpochs, manager, features, classifierWeight, 0, 0);
    }

    /**
     * Creates a view at a given step of the run.
     *
     * @param classCounts the training count {@code n_c} of every class (length C)
     * @param epoch the current epoch, 0-based
     * @param totalEpochs the number of epochs of the run
     * @param manager the manager of the current step
     * @param features the batch's B×D penultimate features (attached to the graph), or null
     * @param classifierWeight the C×D weight of a linear classifier (the live parameter), or null
     * @param iteration the 0-based index of the step in the run (>= 0)
     * @param stepSeed the step's seed, a function of the run's seed and the step
     */
    public TrainingView(
            long[] classCounts,
            int epoch,
            int totalEpochs,
            NDManager manager,
            NDArray features,
            NDArray classifierWeight,
            long iteration,
            long stepSeed) {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration " + iteration + " is negative");
        }
        this.iteration = iteration;
        this.stepSeed = stepSeed;
        this.features = features;
        this.classifierWeight = classifierWeight;
        this.classCounts = requireNonNull(classCounts, "classCounts is null").clone();
        if (epoch < 0 || totalEpochs < 1 || epoch > totalEpochs) {
            throw new IllegalArgumentException(
                    "epoch " + epoch + " outside [0, " + totalEpochs + "]");
        }
        this.epoch = epoch;
        this.totalEpochs = totalEpochs;
        this.manager = requireNonNull(manager, "manager is null");
    }

    /**
     * Returns the number of classes C.
     *
     * @return C
     */
    public int numClasses() {
        return classCounts.length;
    }

    /**
     * Returns the training count of every class.
     *
     * @return a copy of {@code n_c}, length C
     */
    public long[] classCounts() {
        return classCounts.clone();
    }

    /**
     * Returns the current epoch.
     *
     * @return the 0-based epoch
     */
    public int epoch() {
        return epoch;
    }

    /**
     * Returns the number of epochs of the run.
     *
     * @return the total number of epochs
     */
    public int totalEpochs() {
        return totalEpochs;
    }

    /**
     * Returns the batch's penultimate features {@code f(x)}, B×D, attached to the autograd graph.
     *
     * @return the features, if the caller provided them
     */
    public Optional<NDArray> features() {
        return Optional.ofNullable(features);
    }

    /**
     * Returns the weight of the network's linear classifier, C×D (row c is {@code w_c}); the live
     * parameter, so a loss built on it differentiates into the classifier.
     *
     * @return the weight, if the network's classifier is linear and the caller provided it
     */
    public Optional<NDArray> classifierWeight() {
        return Optional.ofNullable(classifierWeight);
    }

    /**
     * Returns the manager of the current step, closed when the step ends.
     *
     * @return the step's manager
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * Returns the 0-based index of the current step in the run (batches of earlier epochs
     * included); 0 where no run is in progress ({@code lpl loss} without {@code --iteration}).
     *
     * @return the iteration
     */
    public long iteration() {
        return iteration;
    }

    /**
     * Returns the seed of the current step: the run's seed mixed with the epoch and batch, the same
     * for the same step of a resumed run. A method that draws random numbers seeds its generator
     * from it (and from nothing else), so its draws are reproducible.
     *
     * @return the step's seed
     */
    public long stepSeed() {
        return stepSeed;
    }
}
