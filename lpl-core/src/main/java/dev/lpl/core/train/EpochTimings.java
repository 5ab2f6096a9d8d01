package dev.lpl.core.train;

/**
 * Where the wall time of an epoch went, in seconds.
 *
 * @param steps sum of the training steps (batch upload, forward, objective, backward, update)
 * @param objective the part of {@code steps} spent in the method's objective (perturbation + loss)
 * @param dataWait time the training thread waited for the batch loader
 * @param evaluation the test-set evaluation
 * @param total the whole epoch
 * @param batches number of training steps
 */
public record EpochTimings(
        double steps, double objective, double dataWait, double evaluation, double total, int batches) {}
