package dev.lpl.runner.sweep;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.lpl.api.LplException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep file (HOCON):
 *
 * <pre>
 * sweep {
 *   base = "fashion-mnist-lt-ce.conf"   # optional experiment file, relative to this file
 *   set { training.epochs = 12 }         # optional keys (relative to lpl) for every run; may
 *                                        # include a recipe: set { include "recipe.conf" }
 *   variants {                           # optional named sets of keys, each crossed with the grid
 *                                        # (quote a name holding a dot: "alpha-0.05")
 *     ce { method.type = ce }
 *     lpl-split-mean { method.type = lpl, method.lpl.split.type = mean }
 *   }
 *   grid {                               # every combination of these keys, in this order
 *     "method.type" = [ce, la, lpl]      # (optional when there are variants)
 *     "run.seed" = [1, 2, 3]
 *   }
 *   output-root = "runs/my-sweep"        # optional; default runs/&lt;file name&gt;, relative to the working dir
 *   parallel = 2                         # optional; processes at a time (default 1)
 *   threads-per-run = 0                  # optional; training.threads of each run (0 = cores / parallel)
 *   group-by = method                    # optional; the final table's grouping (default: method, or
 *                                        # label with variants, and every grid key but run.seed)
 * }
 * </pre>
 *
 * <p>A variant's runs get its keys and {@code run.label = NAME}, and are named {@code
 * NAME_<grid values>}: one-factor-at-a-time ablations (each variant changes one setting of a
 * common recipe) are variants crossed with the seeds. A sweep file may also be bundled in the runner
 * ({@link #parse}), in which case it has no base file and takes its recipe from {@code set}.
 *
 * @param file the sweep file (for a bundled sweep, its resource name)
 * @param base the base experiment file, or null
 * @param fixed fixed {@code key=value} overrides
 * @param variants the variants' names and their {@code key=value} overrides, in order; empty for none
 * @param grid the grid keys and their values (HOCON-rendered), in order
 * @param outputRoot where the run directories go
 * @param parallel processes at a time
 * @param threadsPerRun training threads of each process, 0 for cores / parallel
 * @param groupBy the table's grouping key
 */
public record SweepSpec(
        Path file,
        Path base,
        List<String> fixed,
        LinkedHashMap<String, List<String>> variants,
        LinkedHashMap<String, List<String>> grid,
        Path outputRoot,
        int parallel,
        int threadsPerRun,
        String groupBy) {

    private static final Set<String> KEYS = Set.of(
            "base", "set", "variants", "grid", "output-root", "parallel", "threads-per-run", "group-by");

    /** The key a variant's runs are labelled with. */
    public static final String LABEL_KEY = "run.label";

    /**
     * Reads a sweep file.
     *
     * @param file the file
     * @return the specification
     * @throws LplException naming the file and the problem
     */
    public static SweepSpec read(Path file) {
        requireNonNull(file, "file is null");
        if (!Files.isRegularFile(file)) {
            throw new LplException("sweep file " + file + " does not exist; check the path given to -c");
        }
        Config root;
        List<String> lines;
        try {
            root = ConfigFactory.parseFile(file.toFile()).resolve();
            lines = Files.readAllLines(file);
        } catch (ConfigException e) {
            throw new LplException("sweep file " + file + " is not valid HOCON: " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new LplException("sweep file " + file + " cannot be read: " + e.getMessage(), e);
        }
        return parse(file, file.toAbsolutePath().getParent(), root, lines);
    }

    /**
     * Builds the specification of a parsed sweep file.
     *
     * @param file the file, or the resource name of a bundled sweep (used in messages and for the
     *     default output root)
     * @param dir the directory {@code base} is relative to, or null for a bundled sweep, which may
     *     not have a base
     * @param root the parsed file, includes resolved
     * @param lines the file's lines, to keep the order in which grid keys and variants are written
     * @return the specification
     * @throws LplException naming the file and the problem
     */
    public static SweepSpec parse(Path file, Path dir, Config root, List<String> lines) {
        requireNonNull(file, "file is null");
        requireNonNull(root, "root is null");
        requireNonNull(lines, "lines is null");
        if (!root.hasPath("sweep")) {
            throw new LplException("sweep file " + file + " has no sweep { ... } block");
        }
        Config sweep = root.getConfig("sweep");
        for (String key : sweep.root().keySet()) {
            if (!KEYS.contains(key)) {
                String nearest = dev.lpl.core.config.StrictKeys.nearest(key, new java.util.TreeSet<>(KEYS));
                throw new LplException("sweep file " + file + ": unknown key sweep." + key
                        + (nearest != null ? "; did you mean sweep." + nearest + "?" : "")
                        + " (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        try {
            Path base = null;
            if (sweep.hasPath("base")) {
                if (dir == null) {
                    throw new LplException("bundled sweep " + file + " may not name a base file; put its recipe in set");
                }
                base = dir.resolve(sweep.getString("base"));
                if (!Files.isRegularFile(base)) {
                    throw new LplException("sweep file " + file + ": base experiment " + base + " does not exist");
                }
            }
            List<String> fixed = new ArrayList<>();
            if (sweep.hasPath("set")) {
                flatten(sweep.getConfig("set"), fixed);
            }
            LinkedHashMap<String, List<String>> variants = new LinkedHashMap<>();
            if (sweep.hasPath("variants")) {
                for (Map.Entry<String, ConfigValue> e : ordered(sweep.getObject("variants"), lines)) {
                    String name = e.getKey();
                    if (!(e.getValue() instanceof com.typesafe.config.ConfigObject object) || object.isEmpty()) {
                        throw new LplException("sweep file " + file + ": sweep.variants." + name
                                + " must be a non-empty block of keys, e.g. { method.type = lpl }");
                    }
                    if (!sanitize(name).equals(name)) {
                        throw new LplException("sweep file " + file + ": variant name '" + name
                                + "' may hold only letters, digits and . _ + = - (it names run directories)");
                    }
                    List<String> keys = new ArrayList<>();
                    flatten(object.toConfig(), keys);
                    for (String key : keys) {
                        String dotted = key.substring(0, key.indexOf('='));
                        if (Character.isDigit(dotted.charAt(0))) {
                            // alpha-0.05 { ... } unquoted is the variant alpha-0 with a block 05
                            String rest = dotted.contains(".") ? dotted.substring(0, dotted.indexOf('.')) : dotted;
                            throw new LplException("sweep file " + file + ": sweep.variants." + name + " sets " + dotted
                                    + ", which is no configuration key; a variant name holding a dot must be quoted,"
                                    + " e.g. \"" + name + "." + rest + "\" { ... }");
                        }
                        if (key.startsWith(LABEL_KEY + "=")) {
                            throw new LplException("sweep file " + file + ": sweep.variants." + name + " sets "
                                    + LABEL_KEY + ", which a variant's runs get from its name");
                        }
                    }
                    variants.put(name, keys);
                }
            }
            if ((!sweep.hasPath("grid") || sweep.getObject("grid").isEmpty()) && variants.isEmpty()) {
                throw new LplException("sweep file " + file + " needs a non-empty sweep.grid { \"key\" = [values] }"
                        + " or sweep.variants { NAME { keys } }");
            }
            LinkedHashMap<String, List<String>> grid = new LinkedHashMap<>();
            if (sweep.hasPath("grid")) {
                for (Map.Entry<String, ConfigValue> e : ordered(sweep.getObject("grid"), lines)) {
                    if (!(e.getValue() instanceof ConfigList list) || list.isEmpty()) {
                        throw new LplException("sweep file " + file + ": sweep.grid.\"" + e.getKey()
                                + "\" must be a non-empty list, e.g. [1, 2, 3]");
                    }
                    List<String> values = new ArrayList<>();
                    for (ConfigValue v : list) {
                        values.add(render(v));
                    }
                    grid.put(e.getKey(), values);
                }
            }
            for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                for (String assignment : variant.getValue()) {
                    String key = assignment.substring(0, assignment.indexOf('='));
                    if (grid.containsKey(key) || grid.containsKey("lpl." + key)) {
                        throw new LplException("sweep file " + file + ": " + key + " is set by variant "
                                + variant.getKey() + " and varied by the grid; keep it in one of them");
                    }
                }
            }
            String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            Path outputRoot = dev.lpl.api.UserPaths.expand(
                    sweep.hasPath("output-root") ? sweep.getString("output-root") : "runs/" + name);
            int parallel = sweep.hasPath("parallel") ? sweep.getInt("parallel") : 1;
            int threads = sweep.hasPath("threads-per-run") ? sweep.getInt("threads-per-run") : 0;
            if (parallel < 1 || threads < 0) {
                throw new LplException("sweep file " + file + ": parallel must be >= 1 and threads-per-run >= 0");
            }
            String groupBy = sweep.hasPath("group-by") ? sweep.getString("group-by")
                    : variants.isEmpty() ? defaultGroupBy(grid.keySet()) : defaultGroupBy("label", grid.keySet());
            return new SweepSpec(file, base, fixed, variants, grid, outputRoot, parallel, threads, groupBy);
        } catch (ConfigException e) {
            throw new LplException("sweep file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A block's entries in the order they are written (HOCON objects do not keep their order). */
    private static List<Map.Entry<String, ConfigValue>> ordered(
            com.typesafe.config.ConfigObject object, List<String> lines) {
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(object.entrySet());
        entries.sort(java.util.Comparator.comparingLong(e -> position(lines, e)));
        return entries;
    }

    /**
     * The table's grouping when the sweep file names none: the method, then every other grid key but
     * the seed, so that each row pools exactly the runs that differ in their seed only (lpl compare
     * refuses to pool runs that differ in anything else).
     *
     * @param gridKeys the grid's keys, in order
     * @return a {@code --group-by} value such as {@code method} or {@code method,training.epochs}
     */
    static String defaultGroupBy(java.util.Collection<String> gridKeys) {
        return defaultGroupBy("method", gridKeys);
    }

    /**
     * The default grouping: {@code first} ({@code method}, or {@code label} for a sweep of variants),
     * then every other grid key but the seed and the method.
     *
     * @param first the first grouping key
     * @param gridKeys the grid's keys, in order
     * @return a {@code --group-by} value
     */
    static String defaultGroupBy(String first, java.util.Collection<String> gridKeys) {
        List<String> keys = new ArrayList<>(List.of(first));
        for (String key : gridKeys) {
            String bare = key.startsWith("lpl.") ? key.substring(4) : key;
            if (!bare.equals("run.seed") && !bare.equals("method.type")) {
                keys.add(bare);
            }
        }
        return String.join(",", keys);
    }

    /** Where a grid entry or variant is written: its line, then its column (several may share a line). */
    private static long position(List<String> lines, Map.Entry<String, ConfigValue> entry) {
        int line = entry.getValue().origin().lineNumber();
        int column = -1;
        if (line >= 1 && line <= lines.size()) {
            // the key as a key: at the start or after a separator, optionally quoted, before { = or :
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "(?:^|[\\s{,])\"?" + java.util.regex.Pattern.quote(entry.getKey()) + "\"?\\s*[{=:]")
                    .matcher(lines.get(line - 1));
            column = m.find() ? m.start() : lines.get(line - 1).indexOf(entry.getKey());
        }
        return (long) line * 100_000 + Math.max(0, column);
    }

    private static void flatten(Config config, List<String> out) {
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            out.add(e.getKey() + "=" + render(e.getValue()));
        }
    }

    private static String render(ConfigValue value) {
        return value.valueType() == ConfigValueType.STRING
                ? (String) value.unwrapped()
                : value.render(ConfigRenderOptions.concise());
    }

    /**
     * Returns every run of the sweep, in order: each variant (if any) with every combination of the
     * grid (the last key varies fastest).
     *
     * @return the runs
     */
    public List<SweepRun> runs() {
        List<SweepRun> runs = new ArrayList<>();
        if (variants.isEmpty()) {
            addGrid(null, List.of(), runs);
        } else {
            variants.forEach((name, keys) -> addGrid(name, keys, runs));
        }
        return runs;
    }

    private void addGrid(String variant, List<String> variantKeys, List<SweepRun> runs) {
        List<String> keys = new ArrayList<>(grid.keySet());
        int[] index = new int[keys.size()];
        while (true) {
            List<String> overrides = new ArrayList<>(variantKeys);
            List<String> nameParts = new ArrayList<>();
            if (variant != null) {
                overrides.add(LABEL_KEY + "=" + variant);
                nameParts.add(variant);
            }
            for (int k = 0; k < keys.size(); k++) {
                String value = grid.get(keys.get(k)).get(index[k]);
                overrides.add(keys.get(k) + "=" + value);
                nameParts.add(label(keys.get(k)) + "-" + value);
            }
            String name = sanitize(String.join("_", nameParts));
            runs.add(new SweepRun(name, overrides, outputRoot.resolve(name)));
            int k = keys.size() - 1;
            while (k >= 0 && ++index[k] == grid.get(keys.get(k)).size()) {
                index[k] = 0;
                k--;
            }
            if (k < 0) {
                return;
            }
        }
    }

    private static String label(String key) {
        String[] parts = key.split("\\.");
        String last = parts[parts.length - 1];
        return (last.equals("type") && parts.length > 1) ? parts[parts.length - 2] : last;
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^A-Za-z0-9._+=-]", "-");
    }
}
