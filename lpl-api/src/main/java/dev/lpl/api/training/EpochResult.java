package dev.lpl.api.training;

/**
 * The figures of one finished epoch.
 *
 * @param epoch the 0-based epoch
 * @param epochs the number of epochs of the run
 * @param trainLoss mean training loss (on the perturbed logits) over the epoch's batches
 * @param testAccuracy top-1 accuracy on the test set
 * @param balancedAccuracy mean of the per-class accuracies (recalls)
 * @param manyShotAccuracy mean per-class accuracy of classes with more than 100 training samples,
 *     NaN if none
 * @param mediumShotAccuracy the same for 20 to 100 training samples, NaN if none
 * @param fewShotAccuracy the same for fewer than 20 training samples, NaN if none
 * @param perClassAccuracy accuracy of every class on the test set
 * @param learningRate the learning rate at the epoch's last step
 * @param seconds wall time of the epoch, evaluation included
 */
public record EpochResult(
        int epoch,
        int epochs,
        double trainLoss,
        double testAccuracy,
        double balancedAccuracy,
        double manyShotAccuracy,
        double mediumShotAccuracy,
        double fewShotAccuracy,
        double[] perClassAccuracy,
        double learningRate,
        double seconds) {

    /**
     * Creates a result; {@code perClassAccuracy} is copied.
     */
    public EpochResult {
        perClassAccuracy = perClassAccuracy.clone();
    }

    /**
     * Returns the per-class accuracies.
     *
     * @return a copy of the per-class accuracies
     */
    @Override
    public double[] perClassAccuracy() {
        return perClassAccuracy.clone();
    }
}
