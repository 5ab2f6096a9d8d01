package dev.lpl.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named method presets, such as {@code ldam-drw} or {@code la+lpl}: configuration fragments that
 * expand a name users know from the papers into the right method, loss, weighting and head. Every
 * module may ship a {@code lpl-presets.conf} (merged like {@code reference.conf}):
 *
 * <pre>
 * lpl-presets {
 *   ldam-drw {
 *     description = "LDAM + deferred re-weighting (Cao et al., NeurIPS 2019)"
 *     config { method { type = ldam, weighting.type = deferred }, model.head = cosine }
 *   }
 * }
 * </pre>
 *
 * <p>A preset is selected with {@code method.type = NAME}; keys the user sets win over the
 * preset's, and the preset's win over the defaults.
 */
public final class Presets {

    /** The resource every module may ship. */
    public static final String RESOURCE = "lpl-presets.conf";

    /**
     * One preset.
     *
     * @param name its name
     * @param description a one-line description
     * @param config its keys, relative to {@code lpl}
     */
    public record Preset(String name, String description, Config config) {}

    private final Map<String, Preset> presets;

    private Presets(Map<String, Preset> presets) {
        this.presets = Collections.unmodifiableMap(presets);
    }

    /**
     * Loads every {@code lpl-presets.conf} visible to a class loader.
     *
     * @param classLoader the class loader of the application and its plugins
     * @return the presets
     */
    public static Presets load(ClassLoader classLoader) {
        requireNonNull(classLoader, "classLoader is null");
        Config all = ConfigFactory.parseResources(
                classLoader, RESOURCE, ConfigParseOptions.defaults().setClassLoader(classLoader));
        Map<String, Preset> presets = new TreeMap<>();
        if (all.hasPath("lpl-presets")) {
            for (Map.Entry<String, ConfigValue> e : all.getObject("lpl-presets").entrySet()) {
                String name = e.getKey();
                try {
                    Config preset = all.getObject("lpl-presets").toConfig().getConfig(StrictKeys.quoteIfNeeded(name));
                    presets.put(name, new Preset(name, preset.getString("description"), preset.getConfig("config")));
                } catch (ConfigException ex) {
                    throw new IllegalStateException("preset " + name + " in " + RESOURCE + " is malformed", ex);
                }
            }
        }
        return new Presets(presets);
    }

    /**
     * Returns the presets by name.
     *
     * @return name-sorted presets
     */
    public Map<String, Preset> all() {
        return presets;
    }

    /**
     * Returns a preset.
     *
     * @param name the name
     * @return the preset, or null
     */
    public Preset get(String name) {
        return presets.get(name);
    }
}
