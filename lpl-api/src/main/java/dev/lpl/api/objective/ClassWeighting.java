package dev.lpl.api.objective;

import java.util.Optional;

/**
 * Per-class weights of the loss's mean, possibly changing with the epoch: none, class-balanced
 * weights (Cui et al., CVPR 2019) or deferred re-weighting (DRW: none, then class-balanced from a
 * given epoch; Cao et al., NeurIPS 2019).
 */
public interface ClassWeighting {

    /**
     * Returns the weight of every class at an epoch.
     *
     * @param classCounts the training count {@code n_c} of every class
     * @param epoch the 0-based epoch
     * @param totalEpochs the number of epochs of the run
     * @return C weights, or empty for the plain (unweighted) mean
     */
    Optional<float[]> weights(long[] classCounts, int epoch, int totalEpochs);
}
