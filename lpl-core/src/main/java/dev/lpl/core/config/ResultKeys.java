package dev.lpl.core.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The keys of a resolved configuration that can change a run's result, flattened to dotted keys
 * (relative to {@code lpl}) with canonical text values. Two runs whose result keys are equal ran
 * the same experiment; a sweep compares them to decide whether a finished cell may be reused, and
 * {@code lpl compare} to decide whether runs may be pooled into one row.
 *
 * <p>Left out, because they change where or how fast a run goes but not what it computes:
 * <ul>
 *   <li>bookkeeping: {@code run.name}, {@code run.label}, {@code run.output-root}, {@code method.preset} (the
 *       preset's name; its expansion is in the other keys);</li>
 *   <li>where the data is read from and how it is fetched: {@code data.path}, {@code
 *       data.cache-dir}, {@code data.*.download}, {@code data.*.url}, {@code data.*.md5} (the data's
 *       identity is recorded in the manifest and checked on resume);</li>
 *   <li>execution: {@code training.threads}, {@code training.channels-last}, {@code training.backend(s)}, {@code
 *       training.checkpoint.*}, {@code training.listeners}, {@code training.listener.*}, {@code
 *       data.prefetch}, {@code data.eval-batch-size} (evaluation has no randomness and no
 *       batch-dependent statistics);</li>
 *   <li>settings of components that are not selected: in a block with a {@code type} key, every
 *       child block named after another choice (so a CE run carries no {@code method.lpl.*} key;
 *       blocks that themselves have a {@code type}, such as {@code method.loss}, and the common
 *       blocks {@code data.long-tail}, {@code data.augment}, {@code data.validation} stay);</li>
 *   <li>settings that are inert: {@code data.long-tail.ratio} when the profile is {@code none},
 *       and {@code training.finetune.learning-rate} when there is no fine-tuning phase;</li>
 *   <li>keys at defaults that runs of an lpl without the key had implicitly: {@code
 *       model.init-from} when {@code null} (a file it names is a result key), {@code
 *       model.init-from-parts} when {@code all} or without a file, {@code training.freeze} when
 *       {@code none}, {@code training.precision} when {@code fp32}, {@code model.class-scale} when {@code false}, {@code
 *       method.lpl.bound.varied-balanced.count-absent-as-zero} when {@code false}, {@code data.sampling} when {@code
 *       instance}, {@code data.validation.*} when it asks for no validation set, {@code
 *       data.augment.generated.*} when its {@code run} is {@code null};</li>
 *   <li>{@code gan.*}: the settings of {@code lpl gan train}, never read by a classifier run (a
 *       classifier with generated images names its GAN run in {@code data.augment.generated.run}).</li>
 * </ul>
 * {@code run.seed} is kept: a sweep cell's seed is part of its experiment; {@code lpl compare}
 * removes it itself, since it pools runs over seeds.
 */
public final class ResultKeys {

    /** Children of a typed block that are common to every choice, not a choice's own settings. */
    private static final Set<String> COMMON_BLOCKS = Set.of("long-tail", "augment", "validation");

    private static final List<Pattern> EXCLUDED = List.of(
            Pattern.compile("run\\.name"),
            Pattern.compile("run\\.label"),
            Pattern.compile("run\\.output-root"),
            Pattern.compile("method\\.preset"),
            Pattern.compile("data\\.path"),
            Pattern.compile("data\\.cache-dir"),
            Pattern.compile("data\\.prefetch"),
            Pattern.compile("data\\.eval-batch-size"),
            Pattern.compile("data\\.[^.]+\\.(download|url|md5)(\\..*)?"),
            Pattern.compile("training\\.threads"),
            Pattern.compile("training\\.channels-last"),
            Pattern.compile("training\\.backends?(\\..*)?"),
            Pattern.compile("training\\.checkpoint\\..*"),
            Pattern.compile("training\\.listeners?(\\..*)?"));

    /**
     * Keys whose default value is left out of the result keys, because runs of an lpl without the
     * key computed exactly that (the canonical text of each default).
     */
    private static final Map<String, String> IMPLICIT_DEFAULTS = Map.of(
            "training.precision", "fp32",
            "training.freeze", "none",
            "model.class-scale", "false",
            "method.lpl.bound.varied-balanced.count-absent-as-zero", "false");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Returns the value a key that is absent from a run's result keys had, when it is one of the
     * keys left out at their default ({@code training.precision} → {@code fp32}, ...), so that a
     * comparison can name it.
     *
     * @param key a configuration key
     * @return the default the key's absence stands for, or empty
     */
    public static Optional<String> implicitDefault(String key) {
        return Optional.ofNullable(IMPLICIT_DEFAULTS.get(key));
    }

    private final SortedMap<String, String> values;

    private ResultKeys(SortedMap<String, String> values) {
        this.values = values;
    }

    /**
     * Reads the result keys of a resolved configuration.
     *
     * @param config the configuration below {@code lpl}
     * @return its result keys
     */
    public static ResultKeys of(Config config) {
        requireNonNull(config, "config is null");
        JsonNode json = MAPPER.valueToTree(config.root().unwrapped());
        return of(json);
    }

    /**
     * Reads the result keys of a resolved configuration as JSON, e.g. the {@code config} object a
     * run's {@code manifest.json} records.
     *
     * @param config the configuration below {@code lpl}, a JSON object
     * @return its result keys
     */
    public static ResultKeys of(JsonNode config) {
        requireNonNull(config, "config is null");
        SortedMap<String, String> flat = new TreeMap<>();
        flatten("", config, flat);
        if ("none".equals(flat.get("data.long-tail.profile"))) {
            flat.remove("data.long-tail.ratio");
        }
        // Defaults that runs of an lpl without these keys had implicitly: the same experiment.
        if ("null".equals(flat.get("model.init-from"))) {
            flat.remove("model.init-from");
        }
        if (!flat.containsKey("model.init-from") || "all".equals(flat.get("model.init-from-parts"))) {
            flat.remove("model.init-from-parts");
        }
        IMPLICIT_DEFAULTS.forEach((key, value) -> flat.remove(key, value));
        // generative augmentation: off (run = null) is what runs of an lpl without it had; the GAN
        // block (gan.*) configures lpl gan train and never changes a classifier's result
        if (!flat.containsKey("data.augment.generated.run") || "null".equals(flat.get("data.augment.generated.run"))) {
            flat.keySet().removeIf(k -> k.startsWith("data.augment.generated."));
        }
        flat.keySet().removeIf(k -> k.startsWith("gan."));
        if ("instance".equals(flat.get("data.sampling"))) {
            flat.remove("data.sampling");
        }
        if ("0".equals(flat.getOrDefault("data.validation.per-class", "0"))
                && "null".equals(flat.getOrDefault("data.validation.fraction", "null"))
                && "null".equals(flat.getOrDefault("data.validation.indices-file", "null"))) {
            flat.keySet().removeIf(key -> key.startsWith("data.validation."));
        }
        if ("null".equals(flat.getOrDefault("training.finetune.start", "null"))) {
            flat.remove("training.finetune.learning-rate");
        }
        flat.keySet().removeIf(key -> EXCLUDED.stream().anyMatch(p -> p.matcher(key).matches()));
        return new ResultKeys(flat);
    }

    private static void flatten(String prefix, JsonNode node, SortedMap<String, String> out) {
        if (!node.isObject()) {
            out.put(prefix, label(node));
            return;
        }
        JsonNode type = node.get("type");
        String chosen = type != null && type.isTextual() ? type.asText() : null;
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode child = field.getValue();
            if (chosen != null && child.isObject() && !name.equals(chosen) && !child.has("type")
                    && !COMMON_BLOCKS.contains(name)) {
                continue; // the settings of a choice that was not made
            }
            String key = prefix.isEmpty() ? quote(name) : prefix + "." + quote(name);
            if (child.isObject() && child.isEmpty()) {
                continue;
            }
            flatten(key, child, out);
        }
    }

    private static String quote(String name) {
        return name.contains(".") ? "\"" + name + "\"" : name;
    }

    /**
     * Formats a value canonically: numbers in plain decimal without trailing zeros (so {@code 100}
     * and {@code 100.0} are equal), strings as they are, {@code null} as {@code null}, lists as JSON.
     *
     * @param node the value
     * @return its text
     */
    public static String label(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isNumber()) {
            BigDecimal d = node.decimalValue().stripTrailingZeros();
            return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(label(item)));
            return "[" + String.join(", ", items) + "]";
        }
        return node.toString();
    }

    /**
     * Returns the keys and their values, sorted by key.
     *
     * @return an unmodifiable view
     */
    public SortedMap<String, String> values() {
        return java.util.Collections.unmodifiableSortedMap(values);
    }

    /**
     * Returns these keys without some of them (e.g. {@code run.seed} and a grouping key).
     *
     * @param keys the keys to drop; a key also drops every key below it
     * @return the remaining keys
     */
    public ResultKeys without(Set<String> keys) {
        SortedMap<String, String> kept = new TreeMap<>(values);
        kept.keySet().removeIf(k -> keys.stream().anyMatch(d -> k.equals(d) || k.startsWith(d + ".")));
        return new ResultKeys(kept);
    }

    /**
     * Returns the keys whose values differ between two configurations, a key present in one only
     * included.
     *
     * @param other the other configuration's keys
     * @return the differing keys, sorted, each with both values ({@code absent} where missing)
     */
    public List<Difference> differences(ResultKeys other) {
        requireNonNull(other, "other is null");
        TreeMap<String, Difference> out = new TreeMap<>();
        for (String key : union(values.keySet(), other.values.keySet())) {
            String mine = values.get(key);
            String theirs = other.values.get(key);
            if (!Objects.equals(mine, theirs)) {
                out.put(key, new Difference(key, mine == null ? ABSENT : mine, theirs == null ? ABSENT : theirs));
            }
        }
        return List.copyOf(out.values());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** The text of a key one configuration lacks. */
    public static final String ABSENT = "absent";

    /**
     * One key whose value differs.
     *
     * @param key the dotted key
     * @param before the first configuration's value ({@link #ABSENT} if it lacks the key)
     * @param after the second configuration's value ({@link #ABSENT} if it lacks the key)
     */
    public record Difference(String key, String before, String after) {
        /**
         * Formats the difference for a message: {@code training.epochs (1 → 2)}.
         *
         * @return the text
         */
        @Override
        public String toString() {
            return key + " (" + before + " → " + after + ")";
        }
    }

    /**
     * Returns a fingerprint of the keys: the SHA-256 of their canonical {@code key=value} lines.
     *
     * @return 64 hex digits
     */
    public String fingerprint() {
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultKeys r && r.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
