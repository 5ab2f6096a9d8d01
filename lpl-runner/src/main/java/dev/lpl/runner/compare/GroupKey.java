package dev.lpl.runner.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.api.LplException;
import dev.lpl.runner.report.RunResults;
import java.math.BigDecimal;
import java.util.function.Function;

/**
 * What runs are grouped by: {@code method}, {@code dataset}, {@code ratio} (the long-tail
 * imbalance ratio {@code data.long-tail.ratio}) or any key of the resolved configuration recorded
 * in {@code manifest.json}, e.g. {@code method.lpl.optimizer.pgd.alpha}.
 */
public final class GroupKey {

    /** The label of a run that lacks the key. */
    public static final String MISSING = "—";

    private final String name;
    private final Function<RunResults, String> value;

    private GroupKey(String name, Function<RunResults, String> value) {
        this.name = name;
        this.value = value;
    }

    /**
     * Parses a {@code --group-by} value.
     *
     * @param spec {@code method}, {@code dataset}, {@code ratio} or a dotted configuration key
     *     (relative to {@code lpl}; a leading {@code lpl.} or {@code config.} is accepted)
     * @return the key
     * @throws LplException for a blank or malformed key
     */
    public static GroupKey parse(String spec) {
        String key = spec == null ? "" : spec.strip();
        switch (key) {
            case "method":
                return new GroupKey("method", RunResults::method);
            case "dataset":
                return new GroupKey("dataset", RunResults::dataset);
            case "ratio":
                // without long-tail sampling the ratio key holds an unused default: say so
                return new GroupKey("ratio", run -> run.config("data.long-tail.profile").map(GroupKey::label)
                        .filter(profile -> !profile.equals("none"))
                        .flatMap(profile -> run.config("data.long-tail.ratio").map(GroupKey::label))
                        .orElse(run.config("data.long-tail.profile").isPresent() ? "none" : MISSING));
            default:
                break;
        }
        for (String prefix : new String[] {"config.", "lpl."}) {
            if (key.startsWith(prefix)) {
                key = key.substring(prefix.length());
            }
        }
        if (key.isEmpty() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
            throw new LplException("--group-by " + spec
                    + ": expected method, dataset, ratio or a configuration key such as method.lpl.optimizer.pgd.alpha");
        }
        return config(key, key);
    }

    private static GroupKey config(String name, String dottedKey) {
        return new GroupKey(name, run -> run.config(dottedKey).map(GroupKey::label).orElse(MISSING));
    }

    /**
     * Returns the key's name, the table's first column header.
     *
     * @return e.g. {@code method}
     */
    public String name() {
        return name;
    }

    /**
     * Returns a run's group.
     *
     * @param run the run
     * @return its label, {@link #MISSING} when it lacks the key
     */
    public String of(RunResults run) {
        return value.apply(run);
    }

    /**
     * Formats a configuration value as a group label: numbers in plain decimal without trailing
     * zeros (so {@code 100} and {@code 100.0} are one group), strings as they are.
     *
     * @param node the value
     * @return the label
     */
    static String label(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isNumber()) {
            BigDecimal d = node.decimalValue().stripTrailingZeros();
            return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        return node.toString();
    }
}
