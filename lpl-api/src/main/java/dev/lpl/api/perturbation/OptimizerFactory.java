package dev.lpl.api.perturbation;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;

/** Creates an inner {@link Optimizer} from its configuration block. */
public interface OptimizerFactory extends PluginFactory {

    /**
     * Creates the solver.
     *
     * @param settings the solver's own block, defaults merged
     * @return the solver
     */
    Optimizer create(Settings settings);
}
