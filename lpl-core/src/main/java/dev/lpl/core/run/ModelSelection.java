package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * How a run's epochs are selected, as {@code summary.json} records it. {@code selection} is {@link
 * #VALIDATION} when the run has a validation set ({@code data.validation}) and {@link #FINAL}
 * otherwise. Then:
 *
 * <ul>
 *   <li>{@code final}: the last epoch, always;
 *   <li>{@code best}: only with a validation set, the first epoch with the highest validation
 *       balanced accuracy ({@code "selected_on": "validation"}); {@code checkpoints/best} holds it;
 *   <li>{@code test_selected}: always, the first epoch with the highest test balanced accuracy
 *       ({@code "selected_on": "test"}); optimistic, kept only because some papers report it.
 * </ul>
 *
 * Runs written before selection existed have no {@code selection}: they are read as {@link #FINAL},
 * and their {@code best} as selected on the test set.
 */
public final class ModelSelection {

    /** {@code selection} of a run with a validation set: {@code best} is selected on it. */
    public static final String VALIDATION = "validation";
    /** {@code selection} of a run without one: only {@code final} is honest. */
    public static final String FINAL = "final";
    /** {@code selected_on} of figures chosen by the test set. */
    public static final String TEST = "test";
    /** The metrics key {@code best} is selected on. */
    public static final String VALIDATION_KEY = "val_balanced_accuracy";
    /** The metrics key {@code test_selected} is selected on. */
    public static final String TEST_KEY = "balanced_accuracy";

    private ModelSelection() {}

    /**
     * Returns the first line with the highest value of a key; a line without a finite value never
     * wins over one with it.
     *
     * @param history lines of {@code metrics.jsonl}, in epoch order, at least one
     * @param key the key to maximise
     * @return the selected line
     */
    public static Map<String, Object> firstArgmax(List<Map<String, Object>> history, String key) {
        requireNonNull(history, "history is null");
        requireNonNull(key, "key is null");
        Map<String, Object> best = history.get(0);
        for (Map<String, Object> line : history) {
            double value = number(line.get(key));
            double bestValue = number(best.get(key));
            if (value > bestValue || (Double.isNaN(bestValue) && !Double.isNaN(value))) {
                best = line;
            }
        }
        return best;
    }

    /**
     * Returns whether a new epoch's value beats every earlier epoch's (a tie keeps the earlier).
     *
     * @param history the earlier lines
     * @param key the key
     * @param value the new epoch's value
     * @return true if it is the new best
     */
    public static boolean isNewBest(List<Map<String, Object>> history, String key, double value) {
        return !Double.isNaN(value) && history.stream().noneMatch(h -> number(h.get(key)) >= value);
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
