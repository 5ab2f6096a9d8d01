package dev.lpl.core.plugin;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.api.LplPlugin;
import dev.lpl.api.PluginFactory;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The plugins of this process: every {@link LplPlugin} found by {@link ServiceLoader} on the class
 * path and in the jars of the plugin directories, with the class loader that sees them all (their
 * {@code reference.conf} files included).
 */
public final class LoadedPlugins {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]*");

    private final ClassLoader classLoader;
    private final List<LplPlugin> plugins;
    private final Map<LplPlugin, String> origins;

    private LoadedPlugins(ClassLoader classLoader, List<LplPlugin> plugins, Map<LplPlugin, String> origins) {
        this.classLoader = classLoader;
        this.plugins = List.copyOf(plugins);
        this.origins = Map.copyOf(origins);
    }

    /**
     * Discovers the plugins on the class path and in the given directories.
     *
     * <p>Every {@code *.jar} of a plugin directory is put on the plugins' class path, so a plugin's
     * own dependencies may sit next to it. Each jar must be a readable jar file, and each
     * directory must hold at least one jar that registers a plugin (lists an implementation in
     * {@code META-INF/services/dev.lpl.api.LplPlugin}): an empty, truncated or corrupt jar, or a
     * directory whose jars register nothing (a wrongly built plugin, a wrong directory), stops
     * startup with an error naming it, rather than silently leaving the plugin out.
     *
     * @param pluginDirectories directories whose {@code *.jar} files are loaded as plugins
     * @return the plugins
     * @throws LplException if a directory does not exist or registers no plugin, a jar cannot be
     *     read, a plugin cannot be instantiated, or two plugins register the same name
     */
    public static LoadedPlugins discover(List<Path> pluginDirectories) {
        ClassLoader parent = LoadedPlugins.class.getClassLoader();
        List<URL> jars = new ArrayList<>();
        Map<String, Path> providers = new HashMap<>();
        for (Path dir : pluginDirectories) {
            if (!Files.isDirectory(dir)) {
                throw new LplException("plugin directory " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist")
                        + "; create it or fix --plugins / LPL_PLUGINS");
            }
            List<Path> inDirectory;
            try (Stream<Path> files = Files.list(dir)) {
                inDirectory = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            } catch (IOException e) {
                throw new LplException("cannot list plugin directory " + dir + ": " + e.getMessage(), e);
            }
            boolean registers = false;
            for (Path jar : inDirectory) {
                List<String> listed = PluginJars.providers(jar);
                listed.forEach(provider -> providers.putIfAbsent(provider, jar));
                registers |= !listed.isEmpty();
                try {
                    jars.add(jar.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
            // an empty directory is the usual "drop plugin jars here" folder (the container image has one)
            if (!registers && !inDirectory.isEmpty()) {
                throw new LplException("plugin directory " + dir + " registers no lpl plugin: "
                        + "none of its jars (" + names(inDirectory) + ") lists one in " + PluginJars.SERVICE_FILE
                        + "; add the plugin's jar (built with that service file), or drop " + dir
                        + " from --plugins / LPL_PLUGINS");
            }
        }
        ClassLoader loader = jars.isEmpty() ? parent : new URLClassLoader(jars.toArray(URL[]::new), parent);
        List<LplPlugin> plugins = new ArrayList<>();
        Map<LplPlugin, String> origins = new HashMap<>();
        try {
            for (LplPlugin plugin : ServiceLoader.load(LplPlugin.class, loader)) {
                plugins.add(plugin);
                origins.put(plugin, describe(plugin));
            }
        } catch (java.util.ServiceConfigurationError | LinkageError e) {
            String message = String.valueOf(e.getMessage());
            Path culprit = providers.entrySet().stream()
                    .filter(p -> message.contains(p.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
            throw new LplException((culprit == null ? "a plugin cannot be loaded: "
                    : "plugin jar " + culprit + " cannot be loaded: ") + message
                    + "; rebuild the plugin against this lpl version, or remove its jar", e);
        }
        LoadedPlugins loaded = new LoadedPlugins(loader, plugins, origins);
        loaded.checkNames();
        return loaded;
    }

    private static String names(List<Path> jars) {
        return String.join(", ", jars.stream().map(j -> j.getFileName().toString()).toList());
    }

    /**
     * Wraps given plugins (for tests).
     *
     * @param plugins the plugins
     * @return the plugins, with this class's loader
     */
    public static LoadedPlugins of(List<LplPlugin> plugins) {
        Map<LplPlugin, String> origins = new HashMap<>();
        plugins.forEach(p -> origins.put(p, describe(p)));
        LoadedPlugins loaded = new LoadedPlugins(LoadedPlugins.class.getClassLoader(), plugins, origins);
        loaded.checkNames();
        return loaded;
    }

    private static String describe(LplPlugin plugin) {
        var source = plugin.getClass().getProtectionDomain().getCodeSource();
        String where = source == null || source.getLocation() == null ? "?" : source.getLocation().getPath();
        return plugin.getClass().getName() + " (" + where + ")";
    }

    private void checkNames() {
        for (PluginKind<?> kind : PluginKind.ALL) {
            Map<String, LplPlugin> seen = new HashMap<>();
            for (LplPlugin plugin : plugins) {
                for (PluginFactory factory : kind.factories(plugin)) {
                    String name = requireNonNull(factory.name(), "a factory of " + describe(plugin) + " has no name");
                    if (!NAME.matcher(name).matches()) {
                        throw new LplException("plugin " + origins.get(plugin) + " registers the " + kind
                                + " '" + name + "': names must be lower-case kebab-case, e.g. my-method");
                    }
                    LplPlugin previous = seen.putIfAbsent(name, plugin);
                    if (previous != null) {
                        throw new LplException("two plugins register the " + kind + " '" + name + "': "
                                + origins.get(previous) + " and " + origins.get(plugin)
                                + "; remove one of them from the class path or plugin directory");
                    }
                }
            }
        }
    }

    /**
     * Returns the class loader that sees every plugin and its resources.
     *
     * @return the class loader
     */
    public ClassLoader classLoader() {
        return classLoader;
    }

    /**
     * Returns the plugins.
     *
     * @return the plugins, in discovery order
     */
    public List<LplPlugin> plugins() {
        return plugins;
    }

    /**
     * Returns where a plugin came from.
     *
     * @param plugin a loaded plugin
     * @return its class and jar
     */
    public String origin(LplPlugin plugin) {
        return origins.getOrDefault(plugin, "?");
    }
}
