package dev.lpl.data;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.lpl.api.Settings;
import dev.lpl.core.config.TypesafeSettings;

/** Builds a dataset's settings block the way the core does: this module's defaults, overridden. */
public final class TestSettings {

    private TestSettings() {}

    /**
     * Returns the block {@code data.<name>}: {@code lpl.data.<name>} of reference.conf with the
     * given HOCON on top.
     *
     * @param name the dataset's name
     * @param overrides HOCON relative to the block, possibly empty
     * @return the settings, with path {@code data.<name>}
     */
    public static Settings dataset(String name, String overrides) {
        Config reference = ConfigFactory.parseResources(DataPlugin.class.getClassLoader(), "reference.conf");
        Config block = ConfigFactory.parseString(overrides)
                .withFallback(reference.getConfig("lpl.data.\"" + name + "\""))
                .resolve();
        return new TypesafeSettings(block, "data." + name);
    }
}
