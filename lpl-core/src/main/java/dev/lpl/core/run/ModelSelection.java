package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

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
        requireNonNull(key, "key is null");
        return firstArgmax(history, line -> number(line.get(key)));
    }

    /**
     * Returns the first line with the highest value of a figure; a line without a finite value
     * never wins over one with it.
     *
     * @param history lines of {@code metrics.jsonl}, in epoch order, at least one
     * @param figure the figure to maximise ({@code NaN} when a line lacks it)
     * @param <T> the type of a line
     * @return the selected line
     */
    public static <T> T firstArgmax(List<T> history, ToDoubleFunction<? super T> figure) {
        requireNonNull(history, "history is null");
        requireNonNull(figure, "figure is null");
        T best = history.get(0);
        for (T line : history) {
            double value = figure.applyAsDouble(line);
            double bestValue = figure.applyAsDouble(best);
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
        return isNewBest(history, h -> number(h.get(key)), value);
    }

    /**
     * Returns whether a new epoch's value of a figure beats every earlier epoch's (a tie keeps the
     * earlier).
     *
     * @param history the earlier lines
     * @param figure the figure ({@code NaN} when a line lacks it)
     * @param value the new epoch's value
     * @param <T> the type of a line
     * @return true if it is the new best
     */
    public static <T> boolean isNewBest(List<T> history, ToDoubleFunction<? super T> figure, double value) {
        return !Double.isNaN(value) && history.stream().noneMatch(h -> figure.applyAsDouble(h) >= value);
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
