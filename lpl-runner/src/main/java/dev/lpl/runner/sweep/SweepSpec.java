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
 *   set { training.epochs = 12 }         # optional keys (relative to lpl) for every run
 *   grid {                               # every combination of these keys, in this order
 *     "method.type" = [ce, la, lpl]
 *     "run.seed" = [1, 2, 3]
 *   }
 *   output-root = "runs/my-sweep"        # optional; default runs/&lt;file name&gt;, relative to the working dir
 *   parallel = 2                         # optional; processes at a time (default 1)
 *   threads-per-run = 0                  # optional; training.threads of each run (0 = cores / parallel)
 *   group-by = method                    # optional; the final table's grouping (default: method and
 *                                        # every grid key but run.seed)
 * }
 * </pre>
 *
 * @param file the sweep file
 * @param base the base experiment file, or null
 * @param fixed fixed {@code key=value} overrides
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
        LinkedHashMap<String, List<String>> grid,
        Path outputRoot,
        int parallel,
        int threadsPerRun,
        String groupBy) {

    private static final Set<String> KEYS =
            Set.of("base", "set", "grid", "output-root", "parallel", "threads-per-run", "group-by");

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
        try {
            root = ConfigFactory.parseFile(file.toFile()).resolve();
        } catch (ConfigException e) {
            throw new LplException("sweep file " + file + " is not valid HOCON: " + e.getMessage(), e);
        }
        if (!root.hasPath("sweep")) {
            throw new LplException("sweep file " + file + " has no sweep { ... } block");
        }
        Config sweep = root.getConfig("sweep");
        for (String key : sweep.root().keySet()) {
            if (!KEYS.contains(key)) {
                throw new LplException("sweep file " + file + ": unknown key sweep." + key + "; known: "
                        + String.join(", ", new java.util.TreeSet<>(KEYS)));
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            Path base = sweep.hasPath("base") ? dir.resolve(sweep.getString("base")) : null;
            if (base != null && !Files.isRegularFile(base)) {
                throw new LplException("sweep file " + file + ": base experiment " + base + " does not exist");
            }
            List<String> fixed = new ArrayList<>();
            if (sweep.hasPath("set")) {
                flatten(sweep.getConfig("set"), fixed);
            }
            if (!sweep.hasPath("grid") || sweep.getObject("grid").isEmpty()) {
                throw new LplException("sweep file " + file + " needs a non-empty sweep.grid { \"key\" = [values] }");
            }
            LinkedHashMap<String, List<String>> grid = new LinkedHashMap<>();
            // HOCON objects do not keep their order: take the keys in the order they are written
            List<String> lines = Files.readAllLines(file);
            List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(sweep.getObject("grid").entrySet());
            entries.sort(java.util.Comparator.comparingLong(e -> position(lines, e)));
            for (Map.Entry<String, ConfigValue> e : entries) {
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
            String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            Path outputRoot = dev.lpl.api.UserPaths.expand(
                    sweep.hasPath("output-root") ? sweep.getString("output-root") : "runs/" + name);
            int parallel = sweep.hasPath("parallel") ? sweep.getInt("parallel") : 1;
            int threads = sweep.hasPath("threads-per-run") ? sweep.getInt("threads-per-run") : 0;
            if (parallel < 1 || threads < 0) {
                throw new LplException("sweep file " + file + ": parallel must be >= 1 and threads-per-run >= 0");
            }
            String groupBy = sweep.hasPath("group-by") ? sweep.getString("group-by") : defaultGroupBy(grid.keySet());
            return new SweepSpec(file, base, fixed, grid, outputRoot, parallel, threads, groupBy);
        } catch (ConfigException e) {
            throw new LplException("sweep file " + file + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new LplException("sweep file " + file + " cannot be read: " + e.getMessage(), e);
        }
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
        List<String> keys = new ArrayList<>(List.of("method"));
        for (String key : gridKeys) {
            String bare = key.startsWith("lpl.") ? key.substring(4) : key;
            if (!bare.equals("run.seed") && !bare.equals("method.type")) {
                keys.add(bare);
            }
        }
        return String.join(",", keys);
    }

    /** Where a grid entry is written: its line, then its column (several keys may share a line). */
    private static long position(List<String> lines, Map.Entry<String, ConfigValue> entry) {
        int line = entry.getValue().origin().lineNumber();
        int column = line >= 1 && line <= lines.size() ? lines.get(line - 1).indexOf(entry.getKey()) : -1;
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
     * Returns every run of the grid, in order (the last key varies fastest).
     *
     * @return the runs
     */
    public List<SweepRun> runs() {
        List<SweepRun> runs = new ArrayList<>();
        List<String> keys = new ArrayList<>(grid.keySet());
        int[] index = new int[keys.size()];
        while (true) {
            List<String> overrides = new ArrayList<>();
            List<String> nameParts = new ArrayList<>();
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
                return runs;
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
