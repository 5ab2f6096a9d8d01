package dev.lpl.core;

import static java.util.Objects.requireNonNull;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.lpl.core.config.ConfigLoader;
import dev.lpl.core.plugin.LoadedPlugins;
import dev.lpl.core.plugin.PluginModule;
import dev.lpl.core.plugin.PluginRegistry;
import dev.lpl.core.run.RunFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * The entry point of the framework: discovers plugins (class path and plugin directories), builds
 * the Guice injector, and hands out the registry, the configuration loader and the run factory.
 */
public final class Bootstrap {

    private final LoadedPlugins plugins;
    private final Injector injector;

    private Bootstrap(LoadedPlugins plugins) {
        this.plugins = plugins;
        this.injector = Guice.createInjector(Stage.PRODUCTION, new PluginModule(plugins));
    }

    /**
     * Starts the framework.
     *
     * @param pluginDirectories directories of plugin jars (may be empty)
     * @return the framework
     */
    public static Bootstrap start(List<Path> pluginDirectories) {
        return new Bootstrap(LoadedPlugins.discover(requireNonNull(pluginDirectories, "pluginDirectories is null")));
    }

    /**
     * Starts the framework with given plugins (tests).
     *
     * @param plugins the plugins
     * @return the framework
     */
    public static Bootstrap of(LoadedPlugins plugins) {
        return new Bootstrap(plugins);
    }

    /**
     * Returns the discovered plugins.
     *
     * @return the plugins
     */
    public LoadedPlugins plugins() {
        return plugins;
    }

    /**
     * Returns the named factories.
     *
     * @return the registry
     */
    public PluginRegistry registry() {
        return injector.getInstance(PluginRegistry.class);
    }

    /**
     * Returns a loader for configurations, seeing every plugin's {@code reference.conf}.
     *
     * @return the loader
     */
    public ConfigLoader configLoader() {
        ConfigLoader loader = new ConfigLoader(plugins.classLoader(),
                registry().all(dev.lpl.core.plugin.PluginKind.METHOD).keySet());
        java.util.Set<String> names = new java.util.TreeSet<>(loader.presets().all().keySet());
        names.addAll(loader.presets().aliases().keySet());
        for (String name : names) {
            if (registry().all(dev.lpl.core.plugin.PluginKind.METHOD).containsKey(name)) {
                throw new dev.lpl.api.LplException("method preset (or alias) '" + name + "' has the name of a method;"
                        + " rename one of them (method presets come from lpl-presets.conf files)");
            }
        }
        return loader;
    }

    /**
     * Returns the run factory.
     *
     * @return the factory
     */
    public RunFactory runFactory() {
        return injector.getInstance(RunFactory.class);
    }

    /**
     * Returns the injector.
     *
     * @return the injector
     */
    public Injector injector() {
        return injector;
    }
}
