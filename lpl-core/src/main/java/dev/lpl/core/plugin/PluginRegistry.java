package dev.lpl.core.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.util.Types;
import dev.lpl.api.LplException;
import dev.lpl.api.PluginFactory;
import dev.lpl.core.config.StrictKeys;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The named factories of every extension point, as bound by {@link PluginModule}. Looking up an
 * unknown name fails with the known names and the nearest match.
 */
@Singleton
public final class PluginRegistry {

    private final Map<PluginKind<?>, Map<String, ? extends PluginFactory>> factories = new LinkedHashMap<>();

    /**
     * Reads the bound maps.
     *
     * @param injector the injector holding the {@link PluginModule} bindings
     */
    @Inject
    public PluginRegistry(Injector injector) {
        requireNonNull(injector, "injector is null");
        for (PluginKind<?> kind : PluginKind.ALL) {
            factories.put(kind, new TreeMap<>(lookup(injector, kind)));
        }
    }

    @SuppressWarnings("unchecked")
    private static <F extends PluginFactory> Map<String, F> lookup(Injector injector, PluginKind<F> kind) {
        Key<Map<String, F>> key = (Key<Map<String, F>>) Key.get(Types.mapOf(String.class, kind.factoryType()));
        return injector.getInstance(key);
    }

    /**
     * Returns all factories of a kind by name.
     *
     * @param kind the extension point
     * @param <F> its factory type
     * @return an unmodifiable, name-sorted map
     */
    @SuppressWarnings("unchecked")
    public <F extends PluginFactory> Map<String, F> all(PluginKind<F> kind) {
        return Collections.unmodifiableMap((Map<String, F>) factories.get(kind));
    }

    /**
     * Returns the factory registered under a name.
     *
     * @param kind the extension point
     * @param name the name from the configuration
     * @param configKey the key that held the name (for the error message)
     * @param <F> the factory type
     * @return the factory
     * @throws LplException naming the known names and the nearest match if none is registered
     */
    public <F extends PluginFactory> F get(PluginKind<F> kind, String name, String configKey) {
        F factory = all(kind).get(name);
        if (factory == null) {
            String nearest = StrictKeys.nearestName(name, all(kind).keySet());
            throw new LplException("unknown " + kind + " '" + name + "' (" + configKey + ")"
                    + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                    + " known: " + String.join(", ", all(kind).keySet())
                    + (all(kind).isEmpty() ? "none — is a plugin jar missing?" : ""));
        }
        return factory;
    }
}
