package dev.lpl.core.plugin;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.PluginFactory;
import dev.lpl.core.config.StrictKeys;
import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.BoundStrategy;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.Optimizer;
import dev.lpl.api.perturbation.SplitStrategy;

/**
 * {@link Components} backed by the registry: a block {@code { type = NAME, NAME { ... } }} creates
 * the implementation registered under {@code NAME} with the sub-block {@code NAME}.
 */
public final class RegistryComponents implements Components {

    private final PluginRegistry registry;

    /**
     * Creates the components.
     *
     * @param registry the plugin registry
     */
    public RegistryComponents(PluginRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    /**
     * Resolves a typed block: the factory selected by its {@code type}.
     *
     * @param kind the extension point
     * @param settings the block with {@code type}
     * @param <F> the factory type
     * @return the factory
     */
    public <F extends PluginFactory> F factory(PluginKind<F> kind, Settings settings) {
        String type = settings.getString("type");
        String key = settings.path().isEmpty() ? "type" : settings.path() + ".type";
        return registry.get(kind, type, key);
    }

    /**
     * Returns the options block of the selected type.
     *
     * @param settings the block with {@code type}
     * @return the sub-block named after the type
     */
    public static Settings options(Settings settings) {
        return settings.getSettings(StrictKeys.quoteIfNeeded(settings.getString("type")));
    }

    @Override
    public SplitStrategy splitStrategy(Settings settings) {
        return factory(PluginKind.SPLIT, settings).create(options(settings));
    }

    @Override
    public BoundStrategy boundStrategy(Settings settings) {
        return factory(PluginKind.BOUND, settings).create(options(settings));
    }

    @Override
    public Optimizer optimizer(Settings settings) {
        return factory(PluginKind.INNER_OPTIMIZER, settings).create(options(settings));
    }
}
