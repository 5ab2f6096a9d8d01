package dev.lpl.tracking;

import dev.lpl.api.training.EpochResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of an epoch as both listeners name them: {@link EpochResult#scalars()} with every
 * per-class key {@code <key>/<c>} named by its class, {@code <key>/<class name>}.
 */
final class Figures {

    private static final Pattern PER_CLASS = Pattern.compile("(.+)/(\\d+)");

    private Figures() {}

    /**
     * Returns the named figures of an epoch, in the order of its metrics line.
     *
     * @param result the epoch
     * @param classNames the run's class names
     * @param perClass whether to keep the per-class figures
     * @return name to value (values may be NaN)
     */
    static Map<String, Double> of(EpochResult result, List<String> classNames, boolean perClass) {
        Map<String, Double> scalars = result.scalars().isEmpty() ? fromComponents(result) : result.scalars();
        Map<String, Double> named = new LinkedHashMap<>();
        scalars.forEach((key, value) -> {
            Matcher m = PER_CLASS.matcher(key);
            if (m.matches()) {
                if (perClass) {
                    int c = Integer.parseInt(m.group(2));
                    named.put(m.group(1) + "/" + (c < classNames.size() ? classNames.get(c) : m.group(2)), value);
                }
            } else {
                named.put(key, value);
            }
        });
        return named;
    }

    /** For a result that did not come from a run's metrics line: its named components. */
    private static Map<String, Double> fromComponents(EpochResult r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("epoch", (double) (r.epoch() + 1));
        m.put("epochs", (double) r.epochs());
        m.put("train_loss", r.trainLoss());
        m.put("test_accuracy", r.testAccuracy());
        m.put("balanced_accuracy", r.balancedAccuracy());
        m.put("many_shot_accuracy", r.manyShotAccuracy());
        m.put("medium_shot_accuracy", r.mediumShotAccuracy());
        m.put("few_shot_accuracy", r.fewShotAccuracy());
        double[] perClass = r.perClassAccuracy();
        for (int c = 0; c < perClass.length; c++) {
            m.put("per_class_accuracy/" + c, perClass[c]);
        }
        m.put("learning_rate", r.learningRate());
        m.put("epoch_seconds", r.seconds());
        return m;
    }
}
