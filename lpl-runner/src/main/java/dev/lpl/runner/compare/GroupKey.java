package dev.lpl.runner.compare;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lpl.api.LplException;
import dev.lpl.core.config.ResultKeys;
import dev.lpl.core.config.StrictKeys;
import dev.lpl.runner.report.RunResults;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What runs are grouped by: one or more (comma-separated) of {@code method}, {@code dataset},
 * {@code label} ({@code run.label}, the name of a sweep's variant), {@code ratio} (the long-tail imbalance ratio {@code data.long-tail.ratio}) and keys of the
 * resolved configuration recorded in {@code manifest.json}, e.g. {@code
 * method.lpl.optimizer.pgd.alpha}. A configuration key's value is read from the run's {@link
 * ResultKeys}, so a key that does not apply to a run (LPL's settings for a CE run, the ratio
 * without long-tail sampling) is {@link #MISSING} for it, not the unused default.
 */
public final class GroupKey {

    /** The label of a run that lacks the key. */
    public static final String MISSING = "—";

    /** The separator of a row's label when it is grouped by several keys. */
    public static final String SEPARATOR = ", ";

    /**
     * One key of a (possibly composite) grouping.
     *
     * @param name the column header, e.g. {@code method}
     * @param configKey the configuration key it reads (relative to {@code lpl}), never pooled over
     * @param value a run's label
     */
    private record Part(String name, String configKey, Function<RunResults, String> value) {}

    private final List<Part> parts;

    private GroupKey(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses a {@code --group-by} value.
     *
     * @param spec comma-separated {@code method}, {@code dataset}, {@code ratio} or dotted
     *     configuration keys (relative to {@code lpl}; a leading {@code lpl.} or {@code config.} is
     *     accepted)
     * @return the key
     * @throws LplException for a blank or malformed key
     */
    public static GroupKey parse(String spec) {
        String all = spec == null ? "" : spec.strip();
        List<Part> parts = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String item : all.split(",", -1)) {
            Part part = part(spec, item.strip());
            if (!seen.add(part.name())) {
                throw new LplException("--group-by " + spec + ": " + part.name() + " is given twice");
            }
            parts.add(part);
        }
        return new GroupKey(parts);
    }

    private static Part part(String spec, String key) {
        switch (key) {
            case "method":
                return new Part("method", "method.type", RunResults::method);
            case "dataset":
                return new Part("dataset", "data.type", RunResults::dataset);
            case "label":
                // run.label is not a result key (a sweep variant's name): read it from the config
                return new Part("label", "run.label", run -> run.config("run.label")
                        .filter(node -> node.isValueNode() && !node.isNull())
                        .map(com.fasterxml.jackson.databind.JsonNode::asText)
                        .orElse(MISSING));
            case "ratio":
                // without long-tail sampling the ratio key holds an unused default: say so
                return new Part("ratio", "data.long-tail.ratio", run -> {
                    SortedMap<String, String> keys = resultKeys(run).values();
                    String profile = keys.get("data.long-tail.profile");
                    if (profile == null) {
                        return MISSING;
                    }
                    return "none".equals(profile) ? "none" : keys.getOrDefault("data.long-tail.ratio", MISSING);
                });
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
                    + ": expected method, dataset, label, ratio or a configuration key such as method.lpl.optimizer.pgd.alpha"
                    + " (several separated by commas)");
        }
        String dotted = key;
        return new Part(dotted, dotted, run -> configLabel(run, dotted));
    }

    /** The result key's value; a block's value as JSON when the run has result keys below it. */
    private static String configLabel(RunResults run, String key) {
        SortedMap<String, String> values = resultKeys(run).values();
        String exact = values.get(key);
        if (exact != null) {
            return exact;
        }
        boolean below = !values.subMap(key + ".", key + "/").isEmpty(); // '/' sorts right after '.'
        return below ? run.config(key).map(ResultKeys::label).orElse(MISSING)
                : ResultKeys.implicitDefault(key).orElse(MISSING); // e.g. training.precision: fp32
    }

    /**
     * Returns a run's result keys: those of the configuration its manifest records (none without).
     *
     * @param run the run
     * @return its keys
     */
    static ResultKeys resultKeys(RunResults run) {
        JsonNode config = run.configTree();
        return ResultKeys.of(config.isObject() ? config : JsonNodeFactory.instance.objectNode());
    }

    /**
     * Checks that every configuration key of this grouping is a key of at least one run's
     * configuration (a key LPL's defaults carry counts, even where it does not apply).
     *
     * @param runs the runs compared
     * @throws LplException for an unknown key, naming the nearest known one
     */
    public void check(List<RunResults> runs) {
        TreeSet<String> known = null;
        for (Part part : parts) {
            if (!part.name().equals(part.configKey())) {
                continue; // method, dataset, label, ratio
            }
            if (known == null) {
                known = configKeys(runs);
            }
            String key = part.configKey();
            boolean present = known.contains(key) || !known.subSet(key + ".", key + "/").isEmpty();
            if (!present) {
                String nearest = StrictKeys.nearest(key, known);
                throw new LplException("--group-by " + key + ": no run's configuration has this key"
                        + (nearest == null ? "" : "; did you mean " + nearest + "?")
                        + (known.isEmpty() ? " (the runs' manifest.json record no configuration)"
                                : " (see a run's resolved.conf; or method, dataset, label, ratio)"));
            }
        }
    }

    /** Every leaf key of the runs' resolved configurations, unfiltered. */
    private static TreeSet<String> configKeys(List<RunResults> runs) {
        TreeSet<String> keys = new TreeSet<>();
        for (RunResults run : runs) {
            collect("", run.configTree(), keys);
        }
        return keys;
    }

    private static void collect(String prefix, JsonNode node, Set<String> out) {
        if (!node.isObject()) {
            if (!prefix.isEmpty()) {
                out.add(prefix);
            }
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey().contains(".") ? "\"" + field.getKey() + "\"" : field.getKey();
            collect(prefix.isEmpty() ? name : prefix + "." + name, field.getValue(), out);
        }
    }

    /**
     * Returns the key's name, the table's first column header: the parts joined by commas.
     *
     * @return e.g. {@code method} or {@code method,data.synthetic.imbalance-ratio}
     */
    public String name() {
        return String.join(",", names());
    }

    /**
     * Returns the name of every part, one table column each.
     *
     * @return e.g. {@code [method, ratio]}
     */
    public List<String> names() {
        return parts.stream().map(Part::name).toList();
    }

    /**
     * Returns the configuration keys the grouping reads; runs in one row may differ in nothing else
     * but the seed.
     *
     * @return e.g. {@code [method.type]}
     */
    public Set<String> configKeys() {
        Set<String> keys = new LinkedHashSet<>();
        parts.forEach(p -> keys.add(p.configKey()));
        return keys;
    }

    /**
     * Returns a run's group.
     *
     * @param run the run
     * @return its label (the parts' labels joined by {@link #SEPARATOR}); {@link #MISSING} for a
     *     part the run lacks
     */
    public String of(RunResults run) {
        return String.join(SEPARATOR, values(run));
    }

    /**
     * Returns a run's label for every part.
     *
     * @param run the run
     * @return one label per part
     */
    public List<String> values(RunResults run) {
        requireNonNull(run, "run is null");
        return parts.stream().map(p -> p.value().apply(run)).toList();
    }

    /**
     * Formats a configuration value as a group label: numbers in plain decimal without trailing
     * zeros (so {@code 100} and {@code 100.0} are one group), strings as they are.
     *
     * @param node the value
     * @return the label
     */
    static String label(JsonNode node) {
        return ResultKeys.label(node);
    }
}
