package dev.lpl.methods.lpl;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.BoundStrategy;
import dev.lpl.api.perturbation.BoundStrategyFactory;
import dev.lpl.api.perturbation.ClassStatistics;
import dev.lpl.api.perturbation.Split;
import java.util.Arrays;

/**
 * The fixed bound of LPL (Li et al., AAAI 2022, Eq. 8, "fixed ε_c" rows of the tables): every class
 * gets {@code ε_c = ε}, so every class takes {@code K = ⌊ε/α⌋} inner steps (Algorithm 1).
 */
public final class FixedBound implements BoundStrategy {

    private final double epsilon;

    /**
     * Creates the strategy.
     *
     * @param epsilon ε, at least 0
     */
    public FixedBound(double epsilon) {
        this.epsilon = Bounds.requireNonNegative("epsilon", epsilon);
    }

    /**
     * Returns ε.
     *
     * @return the bound of every class
     */
    public double epsilon() {
        return epsilon;
    }

    @Override
    public double[] bounds(ClassStatistics statistics, Split split) {
        requireNonNull(statistics, "statistics is null");
        requireNonNull(split, "split is null");
        double[] bounds = new double[statistics.numClasses()];
        Arrays.fill(bounds, epsilon);
        return bounds;
    }

    @Override
    public String toString() {
        return "FixedBound{epsilon=" + epsilon + "}";
    }

    /** The {@code fixed} factory; reads {@code epsilon} (≥ 0). */
    public static final class Factory implements BoundStrategyFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public String description() {
            return "LPL fixed bound: epsilon_c = epsilon for every class";
        }

        @Override
        public BoundStrategy create(Settings settings) {
            requireNonNull(settings, "settings is null");
            return new FixedBound(Bounds.nonNegative(settings, "epsilon"));
        }
    }
}
