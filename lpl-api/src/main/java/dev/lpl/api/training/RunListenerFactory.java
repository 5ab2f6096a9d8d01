package dev.lpl.api.training;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;

/** Creates a {@link RunListener} for one run. */
public interface RunListenerFactory extends PluginFactory {

    /**
     * Creates the listener.
     *
     * @param settings the block {@code training.listener.<name>}, defaults merged
     * @return the listener
     */
    RunListener create(Settings settings);
}
