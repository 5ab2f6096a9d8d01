package dev.lpl.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.lpl.api.LplException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The strict key check that Typesafe's {@code checkValid} lacks: every key the user wrote must be
 * declared in some module's {@code reference.conf} (as a value, a block or {@code null}); an
 * unknown key is an error naming the nearest declared key. A block may not replace a value or vice
 * versa (except {@code null} defaults, which accept anything). A numeric literal beyond the range
 * of a double ({@code 1e400}) is refused wherever it is written, used or not; {@link
 * TypesafeSettings#getDouble} refuses the other non-finite values (NaN, Infinity) when read.
 */
public final class StrictKeys {

    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private StrictKeys() {}

    /**
     * Checks the user's keys.
     *
     * @param user what the user wrote, below {@code lpl}
     * @param defaults the merged defaults, below {@code lpl}
     * @throws LplException listing every problem, one per line, the first line standing alone
     */
    public static void check(Config user, Config defaults) {
        Map<String, ConfigValueType> declared = new TreeMap<>();
        collect(defaults.root(), "", declared);
        List<String> problems = new ArrayList<>();
        walk(user.root(), "", declared, problems);
        if (!problems.isEmpty()) {
            String first = problems.get(0);
            StringBuilder message = new StringBuilder(first);
            if (problems.size() > 1) {
                message.append(" (and ").append(problems.size() - 1).append(" more problem")
                        .append(problems.size() > 2 ? "s" : "").append(")");
                for (String p : problems.subList(1, problems.size())) {
                    message.append(System.lineSeparator()).append(p);
                }
            }
            throw new LplException(message.toString());
        }
    }

    /**
     * Returns every declared key with its type (blocks included), for listing and suggestions.
     *
     * @param defaults the merged defaults
     * @return dotted keys and their types, sorted
     */
    public static Map<String, ConfigValueType> declaredKeys(Config defaults) {
        Map<String, ConfigValueType> declared = new TreeMap<>();
        collect(defaults.root(), "", declared);
        return declared;
    }

    private static void collect(ConfigObject object, String prefix, Map<String, ConfigValueType> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String key = prefix + quoteIfNeeded(e.getKey());
            out.put(key, e.getValue().valueType());
            if (e.getValue() instanceof ConfigObject child) {
                collect(child, key + ".", out);
            }
        }
    }

    private static void walk(
            ConfigObject object, String prefix, Map<String, ConfigValueType> declared, List<String> problems) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String key = prefix + quoteIfNeeded(e.getKey());
            ConfigValue value = e.getValue();
            ConfigValueType expected = declared.get(key);
            if (expected == null) {
                if (value instanceof ConfigObject block && !block.isEmpty()) {
                    Map<String, ConfigValueType> leaves = new TreeMap<>();
                    collect(block, key + ".", leaves);
                    leaves.forEach((leaf, type) -> {
                        if (type != ConfigValueType.OBJECT) {
                            problems.add(unknown(leaf, declared));
                        }
                    });
                } else {
                    problems.add(unknown(key, declared));
                }
                continue;
            }
            if (nonFinite(value)) {
                problems.add("invalid configuration value " + key + ": a number beyond +-1.8e308 (such as 1e400)"
                        + " is not finite; write a finite value");
                continue;
            }
            boolean userBlock = value.valueType() == ConfigValueType.OBJECT;
            boolean declaredBlock = expected == ConfigValueType.OBJECT;
            if (expected == ConfigValueType.NULL) {
                continue; // a null default accepts any value
            }
            if (userBlock && !declaredBlock) {
                problems.add("configuration key " + key + " takes a value, not a block { ... }");
            } else if (!userBlock && declaredBlock && value.valueType() != ConfigValueType.NULL) {
                problems.add("configuration key " + key + " is a block; set one of its keys, e.g. "
                        + firstChild(key, declared) + " (got "
                        + render(value) + ")");
            } else if (expected == ConfigValueType.LIST && !(value instanceof ConfigList)) {
                problems.add("invalid configuration value " + key + ": expected a list [ ... ], got " + render(value));
            } else if (userBlock) {
                walk((ConfigObject) value, key + ".", declared, problems);
            }
        }
    }

    /** A numeric literal too large for a double (1e400), alone or in a list. */
    private static boolean nonFinite(ConfigValue value) {
        if (value instanceof ConfigList list) {
            return list.stream().anyMatch(StrictKeys::nonFinite);
        }
        return value.valueType() == ConfigValueType.NUMBER && value.unwrapped() instanceof Double d && !Double.isFinite(d);
    }

    private static String render(ConfigValue value) {
        return value.render(ConfigRenderOptions.concise());
    }

    private static String firstChild(String block, Map<String, ConfigValueType> declared) {
        return declared.keySet().stream()
                .filter(k -> k.startsWith(block + "."))
                .findFirst()
                .orElse(block + ".<key>");
    }

    private static String unknown(String key, Map<String, ConfigValueType> declared) {
        String nearest = nearest(key, declared.keySet());
        return "unknown configuration key " + key + (nearest == null ? "" : "; did you mean " + nearest + "?");
    }

    /**
     * Returns the declared key nearest to a misspelt one: the smallest edit distance, preferring
     * keys under the same block.
     *
     * @param key the unknown key
     * @param candidates the declared keys
     * @return the nearest key, or null if nothing is close
     */
    public static String nearest(String key, Iterable<String> candidates) {
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        String lower = key.toLowerCase(Locale.ROOT);
        for (String candidate : candidates) {
            int d = DISTANCE.apply(lower, candidate.toLowerCase(Locale.ROOT));
            if (d < bestScore || (d == bestScore && best != null && candidate.length() < best.length())) {
                bestScore = d;
                best = candidate;
            }
        }
        if (best == null) {
            return null;
        }
        int leaf = key.length() - key.lastIndexOf('.') - 1;
        return bestScore <= Math.max(3, leaf / 2 + 2) ? best : null;
    }

    /**
     * Returns the names nearest to a misspelt name, for "unknown type" errors.
     *
     * @param name the unknown name
     * @param known the known names
     * @return the nearest known name, or null
     */
    public static String nearestName(String name, Iterable<String> known) {
        List<String> list = new ArrayList<>();
        known.forEach(list::add);
        return list.stream()
                .min(Comparator.comparingInt((String k) -> DISTANCE.apply(name, k)).thenComparing(k -> k))
                .filter(k -> DISTANCE.apply(name, k) <= Math.max(2, name.length() / 2))
                .orElse(null);
    }

    /**
     * Quotes a key element for use in a dotted path when it holds characters HOCON does not allow
     * unquoted (such as {@code +} or {@code .}).
     *
     * @param key one path element
     * @return the element, quoted if needed
     */
    public static String quoteIfNeeded(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    }
}
