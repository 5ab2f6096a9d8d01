package dev.lpl.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import dev.lpl.api.LplException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Loads a run configuration: the defaults of every module ({@code reference.conf} files on the
 * class path, under {@code lpl}), then an optional experiment file, then {@code key=value}
 * overrides, and checks every key the user wrote against the defaults ({@link StrictKeys}).
 *
 * <p>User keys are relative to {@code lpl}: an experiment file says {@code method.type = lpl} and
 * an override {@code --set method.type=lpl}.
 */
public final class ConfigLoader {

    /** The root namespace of every lpl key in {@code reference.conf}. */
    public static final String ROOT = "lpl";

    private final ClassLoader classLoader;
    private final Presets presets;
    private final SortedSet<String> methods;

    /**
     * Creates a loader that reads the {@code reference.conf} and {@code lpl-presets.conf} files
     * visible to a class loader, and leaves checking {@code method.type} to the run factory.
     *
     * @param classLoader the class loader of the application and its plugins
     */
    public ConfigLoader(ClassLoader classLoader) {
        this(classLoader, Set.of());
    }

    /**
     * Creates a loader that also checks {@code method.type}: a method or a method preset, or an
     * error whose "did you mean" considers both.
     *
     * @param classLoader the class loader of the application and its plugins
     * @param methods the names of the methods registered (empty: {@code method.type} is not checked)
     */
    public ConfigLoader(ClassLoader classLoader, Set<String> methods) {
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
        this.presets = Presets.load(classLoader);
        this.methods = new TreeSet<>(requireNonNull(methods, "methods is null"));
    }

    /**
     * Returns the method presets.
     *
     * @return the presets
     */
    public Presets presets() {
        return presets;
    }

    /**
     * Returns the merged defaults of every module, below {@code lpl}.
     *
     * @return the defaults
     */
    public Config defaults() {
        Config reference = ConfigFactory.parseResources(
                classLoader, "reference.conf", ConfigParseOptions.defaults().setClassLoader(classLoader));
        try {
            return reference.resolve().getConfig(ROOT);
        } catch (ConfigException e) {
            throw new IllegalStateException("the reference.conf files on the class path are broken", e);
        }
    }

    /**
     * Loads and validates a configuration.
     *
     * @param experimentFile an experiment file (HOCON, JSON or properties), or null; a file that
     *     sets no key (empty, or comments only) is refused: leave it out to use the defaults
     * @param overrides {@code key=value} strings, applied in order after the file
     * @return the validated configuration below {@code lpl}, defaults merged
     * @throws LplException on a missing, empty or malformed file, a malformed override, or an
     *     unknown key
     */
    public RunConfig load(Path experimentFile, List<String> overrides) {
        return experimentFile == null
                ? load(null, null, overrides)
                : load(parseFile(experimentFile), experimentFile.toString(), overrides);
    }

    /**
     * Loads and validates a configuration from an already parsed experiment (e.g. a bundled
     * experiment preset read from the class path, its includes resolved there).
     *
     * @param experiment the experiment's keys, relative to {@code lpl} (a single {@code lpl { ... }}
     *     block is unwrapped), or null
     * @param source where the experiment came from, recorded with the configuration's sources
     * @param overrides {@code key=value} strings, applied in order after the experiment
     * @return the validated configuration below {@code lpl}, defaults merged
     * @throws LplException on a malformed override or an unknown key
     */
    public RunConfig load(Config experiment, String source, List<String> overrides) {
        Config defaults = defaults();
        Config user = ConfigFactory.empty();
        List<String> sources = new ArrayList<>();
        if (experiment != null) {
            user = experiment.root().keySet().equals(java.util.Set.of(ROOT)) ? experiment.getConfig(ROOT) : experiment;
            sources.add(requireNonNull(source, "source is null"));
        }
        for (String override : overrides) {
            user = parseOverride(override).withFallback(user);
            sources.add("--set " + override);
        }
        StrictKeys.check(user, defaults);
        Config layered = user;
        String type = user.hasPath("method.type") ? user.getString("method.type") : defaults.getString("method.type");
        Presets.Preset preset = presets.get(type);
        if (preset == null && !methods.isEmpty() && !methods.contains(type)) {
            throw unknownMethod(type);
        }
        if (preset != null && user.hasPath("method.preset")) {
            throw new LplException("method.preset is set by lpl when method.type names a method preset; remove method.preset"
                    + " (lpl list shows the method presets)");
        }
        if (preset != null) {
            StrictKeys.check(preset.config(), defaults);
            layered = user.withoutPath("method.type")
                    .withFallback(preset.config())
                    .withFallback(ConfigFactory.empty().withValue("method.preset", ConfigValueFactory.fromAnyRef(preset.name())));
            sources.add("method preset " + preset.name() + (preset.name().equals(type) ? "" : " (alias " + type + ")"));
        }
        Config merged;
        try {
            merged = layered.withFallback(defaults).resolve(ConfigResolveOptions.defaults());
        } catch (ConfigException e) {
            throw new LplException("configuration cannot be resolved: " + e.getMessage(), e);
        }
        return new RunConfig(merged, user, sources);
    }

    /**
     * The error for a {@code method.type} that is neither a method nor a method preset: the nearest
     * name among both (e.g. {@code la-lpl} → {@code la+lpl}), and both lists.
     */
    private LplException unknownMethod(String type) {
        Set<String> names = new TreeSet<>(methods);
        names.addAll(presets.all().keySet());
        String nearest = StrictKeys.nearestName(type, names);
        String hint = nearest == null ? ""
                : "; did you mean '" + nearest + "'" + (presets.get(nearest) != null ? " (a method preset)" : "") + "?";
        return new LplException("unknown method '" + type + "' (method.type)" + hint
                + " methods: " + String.join(", ", methods)
                + "; method presets: " + String.join(", ", presets.all().keySet()) + " (lpl list)");
    }

    private static Config parseFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LplException(
                    "experiment file " + file + " does not exist; check the path given to -c");
        }
        try {
            Config parsed = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            // Accept files written with the full "lpl { ... }" prefix as well as relative ones.
            if (parsed.root().keySet().equals(java.util.Set.of(ROOT))) {
                parsed = parsed.getConfig(ROOT);
            }
            if (parsed.isEmpty()) {
                // Almost always a wrong path (an empty file, or one of comments only): training on
                // the defaults without saying so would waste the run. No -c is the deliberate way.
                throw new LplException("experiment file " + file + " sets no keys (is it the file you meant?);"
                        + " to use the defaults, leave out -c");
            }
            return parsed;
        } catch (ConfigException.Parse e) {
            throw new LplException("experiment file " + file + " is not valid HOCON: " + e.getMessage(), e);
        } catch (ConfigException e) {
            throw new LplException("experiment file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Parses one {@code key=value} override. The value is read as a HOCON value (numbers, booleans,
     * lists, quoted strings); anything that does not parse as one is taken as a plain string, so
     * {@code data.path=/data/my images} works without quotes.
     *
     * @param override the override
     * @return a configuration holding it
     */
    static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new LplException(
                    "malformed override '" + override + "': write --set key=value, e.g. --set training.epochs=5");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1).trim();
        if (key.startsWith(ROOT + ".")) {
            key = key.substring(ROOT.length() + 1);
        }
        try {
            ConfigUtil.splitPath(key);
        } catch (ConfigException e) {
            throw new LplException("malformed key '" + key + "' in --set " + override
                    + ": use dotted kebab-case keys such as method.lpl.detach", e);
        }
        try {
            Config parsed = ConfigFactory.parseString(
                    key + " = " + value, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF));
            if (parsed.hasPathOrNull(key)) {
                return parsed;
            }
        } catch (ConfigException e) {
            // not a HOCON value: take it as a string below
        }
        return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value));
    }
}
