package dev.lpl.api.training;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;

/** Creates a {@link WeightOptimizer} from its configuration block. */
public interface WeightOptimizerFactory extends PluginFactory {

    /**
     * Creates the optimizer.
     *
     * @param settings the block {@code optimizer.<name>}, defaults merged
     * @return the optimizer
     */
    WeightOptimizer create(Settings settings);
}
