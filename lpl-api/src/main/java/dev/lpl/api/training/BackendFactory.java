package dev.lpl.api.training;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;

/** Creates a {@link Backend} from its configuration block. */
public interface BackendFactory extends PluginFactory {

    /**
     * Creates the backend.
     *
     * @param settings the block {@code training.backends.<name>}, defaults merged
     * @return the backend
     */
    Backend create(Settings settings);
}
