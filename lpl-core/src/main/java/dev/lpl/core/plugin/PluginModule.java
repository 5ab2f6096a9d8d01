package dev.lpl.core.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.lpl.api.LplPlugin;
import dev.lpl.api.PluginFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Binds every plugin factory under its name: one {@code MapBinder<String, F>} per {@link
 * PluginKind}, filled by every plugin (Druid's PolyBind); and the process's Micrometer registry.
 */
public final class PluginModule extends AbstractModule {

    private final LoadedPlugins plugins;

    /**
     * Creates the module.
     *
     * @param plugins the discovered plugins
     */
    public PluginModule(LoadedPlugins plugins) {
        this.plugins = requireNonNull(plugins, "plugins is null");
    }

    @Override
    protected void configure() {
        bind(LoadedPlugins.class).toInstance(plugins);
        bind(MeterRegistry.class).toInstance(new SimpleMeterRegistry());
        for (PluginKind<?> kind : PluginKind.ALL) {
            bindKind(kind);
        }
    }

    private <F extends PluginFactory> void bindKind(PluginKind<F> kind) {
        MapBinder<String, F> binder = MapBinder.newMapBinder(binder(), String.class, kind.factoryType());
        for (LplPlugin plugin : plugins.plugins()) {
            for (F factory : kind.factories(plugin)) {
                binder.addBinding(factory.name()).toInstance(factory);
            }
        }
    }
}
