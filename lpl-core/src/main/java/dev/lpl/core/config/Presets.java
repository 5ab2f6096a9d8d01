package dev.lpl.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.util.Collections;
import java.util.List;
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
 * preset's, and the preset's win over the defaults. A preset may list {@code aliases = [...]}:
 * other names that select it (the run records the preset's own name in {@code method.preset}).
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
     * @param aliases other names that select it
     */
    public record Preset(String name, String description, Config config, List<String> aliases) {

        /**
         * Creates a preset.
         *
         * @param name its name
         * @param description a one-line description
         * @param config its keys, relative to {@code lpl}
         * @param aliases other names that select it
         */
        public Preset {
            aliases = List.copyOf(aliases);
        }
    }

    private final Map<String, Preset> presets;
    private final Map<String, Preset> aliases;

    private Presets(Map<String, Preset> presets, Map<String, Preset> aliases) {
        this.presets = Collections.unmodifiableMap(presets);
        this.aliases = Collections.unmodifiableMap(aliases);
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
                    List<String> names = preset.hasPath("aliases") ? preset.getStringList("aliases") : List.of();
                    presets.put(name, new Preset(name, preset.getString("description"), preset.getConfig("config"), names));
                } catch (ConfigException ex) {
                    throw new IllegalStateException("preset " + name + " in " + RESOURCE + " is malformed", ex);
                }
            }
        }
        Map<String, Preset> aliases = new TreeMap<>();
        for (Preset preset : presets.values()) {
            for (String alias : preset.aliases()) {
                Preset other = presets.containsKey(alias) ? presets.get(alias) : aliases.get(alias);
                if (other != null) {
                    throw new IllegalStateException("alias " + alias + " of preset " + preset.name() + " in " + RESOURCE
                            + " is already the name or an alias of preset " + other.name());
                }
                aliases.put(alias, preset);
            }
        }
        return new Presets(presets, aliases);
    }

    /**
     * Returns the presets by name (aliases not included).
     *
     * @return name-sorted presets
     */
    public Map<String, Preset> all() {
        return presets;
    }

    /**
     * Returns the aliases and the presets they select.
     *
     * @return alias-sorted presets
     */
    public Map<String, Preset> aliases() {
        return aliases;
    }

    /**
     * Returns a preset by its name or one of its aliases.
     *
     * @param name the name or alias
     * @return the preset, or null
     */
    public Preset get(String name) {
        Preset preset = presets.get(name);
        return preset != null ? preset : aliases.get(name);
    }
}
