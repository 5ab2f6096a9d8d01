package dev.lpl.api.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one finished epoch.
 *
 * <p>The named components are the figures every run has. {@link #scalars()} carries every figure
 * of the epoch, the same as its {@code metrics.jsonl} line, so that a listener (TensorBoard, CSV,
 * a tracking server) records what the run records, including figures added by later versions
 * (validation figures, train accuracy, test loss, timings) without a change to this type.
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
 * @param scalars every figure of the epoch's {@code metrics.jsonl} line, see {@link #scalars()}
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
        double seconds,
        Map<String, Double> scalars) {

    /**
     * Creates a result; {@code perClassAccuracy} and {@code scalars} are copied (the order of
     * {@code scalars} is kept).
     */
    public EpochResult {
        perClassAccuracy = perClassAccuracy.clone();
        scalars = Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
    }

    /**
     * Creates a result without the figure map ({@link #scalars()} empty), as the training loop
     * does before the run adds it.
     *
     * @param epoch the 0-based epoch
     * @param epochs the number of epochs of the run
     * @param trainLoss mean training loss
     * @param testAccuracy top-1 test accuracy
     * @param balancedAccuracy balanced accuracy
     * @param manyShotAccuracy many-shot accuracy, NaN if none
     * @param mediumShotAccuracy medium-shot accuracy, NaN if none
     * @param fewShotAccuracy few-shot accuracy, NaN if none
     * @param perClassAccuracy per-class accuracies
     * @param learningRate the learning rate at the epoch's last step
     * @param seconds wall time of the epoch
     */
    public EpochResult(int epoch, int epochs, double trainLoss, double testAccuracy, double balancedAccuracy,
            double manyShotAccuracy, double mediumShotAccuracy, double fewShotAccuracy, double[] perClassAccuracy,
            double learningRate, double seconds) {
        this(epoch, epochs, trainLoss, testAccuracy, balancedAccuracy, manyShotAccuracy, mediumShotAccuracy,
                fewShotAccuracy, perClassAccuracy, learningRate, seconds, Map.of());
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

    /**
     * Returns every figure of the epoch, in the order of its {@code metrics.jsonl} line, under the
     * same keys: {@code epoch} (1-based, as in the file), {@code train_loss}, {@code
     * test_accuracy}, {@code balanced_accuracy}, the shot groups, {@code ece}, {@code
     * learning_rate}, timings, and whatever else the line holds ({@code train_accuracy}, {@code
     * test_loss}, {@code val_*} with a validation set). A line's list with one number per class
     * ({@code per_class_accuracy}, {@code val_per_class_accuracy}, {@code
     * relative_loss_variation}) is spread as {@code <key>/<c>}, {@code c} the 0-based class index
     * ({@link RunInfo#classNames()} names it). Text figures ({@code phase}) are left out. Values
     * may be NaN (a shot group without classes); keys differ between runs, so look them up by
     * name.
     *
     * @return an unmodifiable, ordered map; empty only for a result that did not come from a run
     */
    @Override
    public Map<String, Double> scalars() {
        return scalars;
    }

    /**
     * Returns this result with a figure map.
     *
     * @param figures every figure of the epoch ({@link #scalars()})
     * @return a new result
     */
    public EpochResult withScalars(Map<String, Double> figures) {
        return new EpochResult(epoch, epochs, trainLoss, testAccuracy, balancedAccuracy, manyShotAccuracy,
                mediumShotAccuracy, fewShotAccuracy, perClassAccuracy, learningRate, seconds, figures);
    }
}
