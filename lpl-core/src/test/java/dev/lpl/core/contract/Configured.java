package dev.lpl.core.contract;

import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.train.MethodObjective;
import java.util.List;

/**
 * Builds methods for plugin tests exactly as a run does: plugins found on the test class path,
 * every {@code reference.conf} merged, presets expanded, overrides applied and checked strictly.
 */
public final class Configured {

    private static final Bootstrap LPL = Bootstrap.start(List.of());

    private Configured() {}

    /**
     * Loads a configuration.
     *
     * @param overrides {@code key=value} overrides
     * @return the validated configuration
     */
    public static RunConfig config(String... overrides) {
        return LPL.configLoader().load(null, List.of(overrides));
    }

    /**
     * Creates the perturbation a run would use.
     *
     * @param overrides {@code key=value} overrides, e.g. {@code method.type=lpl}
     * @return the perturbation
     */
    public static Perturbation perturbation(String... overrides) {
        return LPL.runFactory().perturbation(config(overrides).settings());
    }

    /**
     * Creates the whole objective (perturbation, loss, class weights) a run would use.
     *
     * @param overrides {@code key=value} overrides
     * @return the objective
     */
    public static MethodObjective objective(String... overrides) {
        return LPL.runFactory().method(config(overrides).settings());
    }
}
