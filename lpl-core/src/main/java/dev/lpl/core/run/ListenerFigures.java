package dev.lpl.core.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.lpl.core.config.ResultKeys;
import java.lang.reflect.Array;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What run listeners are given beyond the training loop's own figures: an epoch's {@code
 * metrics.jsonl} line as numbers ({@link dev.lpl.api.training.EpochResult#scalars()}) and the
 * resolved configuration, flattened ({@link dev.lpl.api.training.RunInfo#hyperparameters()}).
 */
final class ListenerFigures {

    private ListenerFigures() {}

    /**
     * Returns every number of a metrics line, in its order; a list of numbers is spread as {@code
     * key/i}; text and nested objects are left out.
     *
     * @param line a {@code metrics.jsonl} line (as written, or as read back on resume)
     * @return the figures
     */
    static Map<String, Double> scalars(Map<String, Object> line) {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : line.entrySet()) {
            Object value = e.getValue();
            if (value instanceof Number n) {
                figures.put(e.getKey(), n.doubleValue());
            } else if (value instanceof List<?> list) {
                spread(e.getKey(), list, figures);
            } else if (value != null && value.getClass().isArray()) {
                int n = Array.getLength(value);
                Object[] boxed = new Object[n];
                for (int i = 0; i < n; i++) {
                    boxed[i] = Array.get(value, i);
                }
                spread(e.getKey(), List.of(boxed), figures);
            }
        }
        return figures;
    }

    private static void spread(String key, List<?> values, Map<String, Double> figures) {
        if (!values.stream().allMatch(v -> v instanceof Number)) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            figures.put(key + "/" + i, ((Number) values.get(i)).doubleValue());
        }
    }

    /**
     * Returns the settings of a resolved configuration that can change the run's result ({@link
     * ResultKeys}: no bookkeeping, paths, execution settings or blocks of unselected components),
     * and {@code method.preset} when a preset was used, as sorted dotted keys; values are strings,
     * numbers or booleans, lists their HOCON text.
     *
     * @param config the resolved configuration below {@code lpl}
     * @return the hyperparameters
     */
    static Map<String, Object> hyperparameters(Config config) {
        Set<String> keys = new HashSet<>(ResultKeys.of(config).values().keySet());
        keys.add("method.preset");
        Map<String, Object> flat = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            ConfigValue value = e.getValue();
            if (value.valueType() == ConfigValueType.NULL || !keys.contains(e.getKey())) {
                continue;
            }
            flat.put(e.getKey(), value.valueType() == ConfigValueType.LIST
                    ? value.render(ConfigRenderOptions.concise())
                    : value.unwrapped());
        }
        return new LinkedHashMap<>(flat);
    }
}
