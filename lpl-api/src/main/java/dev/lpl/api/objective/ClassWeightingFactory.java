package dev.lpl.api.objective;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;

/** Creates a {@link ClassWeighting} from its configuration block. */
public interface ClassWeightingFactory extends PluginFactory {

    /**
     * Creates the weighting.
     *
     * @param settings the weighting's own block ({@code method.weighting.<name>}), defaults merged
     * @return the weighting
     */
    ClassWeighting create(Settings settings);
}
