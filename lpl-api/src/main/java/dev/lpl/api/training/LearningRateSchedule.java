package dev.lpl.api.training;

/**
 * The learning-rate schedule as a factor of the base learning rate, a function of the position in
 * training measured in epochs (not optimizer updates, so it is independent of the batch size and
 * can be restored from the epoch alone).
 */
public interface LearningRateSchedule {

    /**
     * Returns the factor by which the base learning rate is multiplied at a position in training.
     *
     * @param epoch the 0-based epoch
     * @param fraction the fraction of the epoch already done, in [0, 1)
     * @param totalEpochs the number of epochs of the run
     * @return the factor, ≥ 0
     */
    double factor(int epoch, double fraction, int totalEpochs);
}
