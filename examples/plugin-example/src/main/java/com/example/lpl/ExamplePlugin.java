package com.example.lpl;

import dev.lpl.api.LplPlugin;
import dev.lpl.api.perturbation.PerturbationFactory;
import java.util.List;

/**
 * The entry point of the example plugin, found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/dev.lpl.api.LplPlugin}. It provides one training method, {@code
 * additive-margin} ({@link AdditiveMarginPerturbation}); every other kind of {@link LplPlugin}
 * keeps its default "none".
 *
 * <p>A plugin needs a public no-argument constructor and should be cheap to create: the runner
 * instantiates it for every command, {@code lpl list} included.
 */
public final class ExamplePlugin implements LplPlugin {

    /** Creates the plugin (found by {@link java.util.ServiceLoader}). */
    public ExamplePlugin() {
        // stateless
    }

    @Override
    public List<PerturbationFactory> perturbations() {
        return List.of(new AdditiveMarginPerturbation.Factory());
    }
}
