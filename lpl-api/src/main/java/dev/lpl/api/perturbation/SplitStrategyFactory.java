package dev.lpl.api.perturbation;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;

/** Creates a {@link SplitStrategy} from its configuration block. */
public interface SplitStrategyFactory extends PluginFactory {

    /**
     * Creates the strategy.
     *
     * @param settings the strategy's own block, defaults merged
     * @return the strategy
     */
    SplitStrategy create(Settings settings);
}
