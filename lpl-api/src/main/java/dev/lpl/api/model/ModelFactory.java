package dev.lpl.api.model;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;

/**
 * Builds a network. Weights are initialised by the framework (Kaiming-normal for convolution and
 * linear weights) under the run's seed; a factory only describes the architecture.
 */
public interface ModelFactory extends PluginFactory {

    /**
     * Builds the (uninitialised) network.
     *
     * @param settings the block {@code model.<name>}, defaults merged
     * @param spec the input shape, number of classes and head
     * @return the network
     */
    ClassifierBlock create(Settings settings, ModelSpec spec);
}
