package dev.lpl.api.perturbation;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;

/** Creates a {@link Perturbation} (a training method) from its configuration block. */
public interface PerturbationFactory extends PluginFactory {

    /**
     * Creates the method.
     *
     * @param settings the block {@code method.<name>}, defaults merged
     * @param components creates nested strategies (split, bound, inner solver) by their {@code
     *     type}
     * @return a new perturbation
     */
    Perturbation create(Settings settings, Components components);
}
