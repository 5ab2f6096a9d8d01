package dev.lpl.core.rundir;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a classifier run's {@code metrics.jsonl}: the figures of one finished epoch, appended
 * when the epoch ends. Test figures are on the test set, {@code val_*} figures on the validation set
 * ({@code data.validation}; absent without one). See the package for the conventions: a null
 * component is absent from the line (an older lpl did not write it), {@code NaN} is JSON {@code
 * null} (e.g. an empty shot group). Fields this lpl does not know (a newer lpl's) are kept in {@link
 * #other} and written back after the known ones (in no particular order among themselves).
 *
 * @param epoch the 1-based epoch
 * @param epochs the number of epochs planned
 * @param phase {@code train}, or {@code finetune} in a run's class-balanced fine-tuning phase
 * @param trainLoss the mean training loss over the epoch's batches (on the method's perturbed logits)
 * @param trainAccuracy the fraction of the epoch's training samples predicted right (during training)
 * @param testAccuracy top-1 accuracy on the test set
 * @param balancedAccuracy the mean of the per-class test accuracies
 * @param manyShotAccuracy test accuracy of the many-shot classes (over 100 training images)
 * @param mediumShotAccuracy test accuracy of the medium-shot classes (20 to 100)
 * @param fewShotAccuracy test accuracy of the few-shot classes (under 20)
 * @param ece the expected calibration error of the test predictions
 * @param testLoss the mean cross-entropy of the prediction logits on the test set
 * @param perClassAccuracy the test accuracy of every class, in class order
 * @param valAccuracy top-1 accuracy on the validation set
 * @param valBalancedAccuracy balanced accuracy on the validation set, which selects {@code best}
 * @param valManyShotAccuracy many-shot accuracy on the validation set
 * @param valMediumShotAccuracy medium-shot accuracy on the validation set
 * @param valFewShotAccuracy few-shot accuracy on the validation set
 * @param valEce the expected calibration error on the validation set
 * @param valLoss the mean cross-entropy on the validation set
 * @param valPerClassAccuracy the validation accuracy of every class
 * @param relativeLossVariation (Σ l′ − Σ l)/Σ l of every class over the epoch, l′ the loss on the
 *     perturbed logits ({@code NaN} for a class without samples in the epoch)
 * @param learningRate the learning rate at the epoch's last step
 * @param epochSeconds the epoch's wall time, evaluation included, in seconds
 * @param stepSeconds the time spent in training steps, in seconds
 * @param objectiveSeconds the part of it spent in the method's objective, in seconds
 * @param dataWaitSeconds the time spent waiting for batches, in seconds
 * @param evalSeconds the time spent evaluating, in seconds
 * @param steps the number of training steps (batches) of the epoch
 * @param residentMb the process's resident memory after the epoch (heap and native), in MiB with
 *     one decimal; absent where it cannot be measured
 * @param other fields this lpl does not know; empty when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricsLine(
        Integer epoch,
        Integer epochs,
        String phase,
        Double trainLoss,
        Double trainAccuracy,
        Double testAccuracy,
        Double balancedAccuracy,
        Double manyShotAccuracy,
        Double mediumShotAccuracy,
        Double fewShotAccuracy,
        Double ece,
        Double testLoss,
        List<Double> perClassAccuracy,
        Double valAccuracy,
        Double valBalancedAccuracy,
        Double valManyShotAccuracy,
        Double valMediumShotAccuracy,
        Double valFewShotAccuracy,
        Double valEce,
        Double valLoss,
        List<Double> valPerClassAccuracy,
        List<Double> relativeLossVariation,
        Double learningRate,
        Double epochSeconds,
        Double stepSeconds,
        Double objectiveSeconds,
        Double dataWaitSeconds,
        Double evalSeconds,
        Long steps,
        Double residentMb,
        @JsonAnySetter Map<String, Object> other) {

    /** The {@link #phase} of epochs written before runs had phases, and of single-phase runs. */
    public static final String TRAIN = "train";

    /**
     * Copies the unknown fields (null: none).
     */
    public MetricsLine {
        other = other == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(other));
    }

    /**
     * Returns the fields this lpl does not know, for writing them back.
     *
     * @return field name to value
     */
    @JsonAnyGetter
    @Override
    public Map<String, Object> other() {
        return other;
    }

    /**
     * Returns whether the line has validation figures ({@code val_balanced_accuracy}).
     *
     * @return whether the run had a validation set when it was written
     */
    public boolean validated() {
        return valBalancedAccuracy != null;
    }

    /**
     * Returns a figure as a number, {@code NaN} when absent.
     *
     * @param value a component, e.g. {@code line.fewShotAccuracy()}
     * @return its value, or {@code NaN} when null
     */
    public static double orNaN(Number value) {
        return value == null ? Double.NaN : value.doubleValue();
    }

    /**
     * Returns a list of figures as an array, {@code null} when absent.
     *
     * @param values a component, e.g. {@code line.perClassAccuracy()}
     * @return the values ({@code NaN} for a null element), or null
     */
    public static double[] array(List<? extends Number> values) {
        if (values == null) {
            return null;
        }
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = orNaN(values.get(i));
        }
        return out;
    }

    /**
     * Returns an array of figures as a list.
     *
     * @param values the values, or null
     * @return the list, or null
     */
    public static List<Double> list(double[] values) {
        return values == null ? null : java.util.Arrays.stream(values).boxed().toList();
    }
}
