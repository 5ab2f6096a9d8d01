package dev.lpl.api.perturbation;

import dev.lpl.api.Settings;

/**
 * Creates the strategies a method is composed of, from a configuration block of the form {@code {
 * type = NAME, NAME { options } }}: the implementation is the one registered under {@code NAME},
 * and it receives the block {@code NAME}. An unknown name is a configuration error listing the
 * known names.
 */
public interface Components {

    /**
     * Creates a category-split strategy.
     *
     * @param settings a block with {@code type} and one sub-block per type
     * @return the strategy
     */
    SplitStrategy splitStrategy(Settings settings);

    /**
     * Creates a bound strategy.
     *
     * @param settings a block with {@code type} and one sub-block per type
     * @return the strategy
     */
    BoundStrategy boundStrategy(Settings settings);

    /**
     * Creates an inner solver.
     *
     * @param settings a block with {@code type} and one sub-block per type
     * @return the solver
     */
    Optimizer optimizer(Settings settings);
}
