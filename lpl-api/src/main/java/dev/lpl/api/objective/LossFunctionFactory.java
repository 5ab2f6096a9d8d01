package dev.lpl.api.objective;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;

/** Creates a {@link LossFunction} from its configuration block. */
public interface LossFunctionFactory extends PluginFactory {

    /**
     * Creates the loss.
     *
     * @param settings the loss's own block ({@code method.loss.<name>}), defaults merged
     * @return the loss
     */
    LossFunction create(Settings settings);
}
