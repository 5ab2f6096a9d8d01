package dev.lpl.api.perturbation;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;

/** Creates a {@link BoundStrategy} from its configuration block. */
public interface BoundStrategyFactory extends PluginFactory {

    /**
     * Creates the strategy.
     *
     * @param settings the strategy's own block, defaults merged
     * @return the strategy
     */
    BoundStrategy create(Settings settings);
}
