package dev.lpl.methods.lpl;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.ClassStatistics;
import dev.lpl.api.perturbation.Split;
import dev.lpl.api.perturbation.SplitStrategy;
import dev.lpl.api.perturbation.SplitStrategyFactory;
import java.util.Arrays;

/**
 * The ablation split of LPL (Li et al., AAAI 2022, Eq. 8 with an empty negative set): every class is
 * positively augmented by loss maximisation ({@code s_c = +1}); there is no threshold (τ = NaN).
 */
public final class AllPositiveSplit implements SplitStrategy {

    /** Creates the split; it has no options. */
    public AllPositiveSplit() {
        // stateless
    }

    @Override
    public Split split(ClassStatistics statistics) {
        requireNonNull(statistics, "statistics is null");
        int[] signs = new int[statistics.numClasses()];
        Arrays.fill(signs, 1);
        return new Split(signs, Double.NaN);
    }

    @Override
    public boolean dependsOnScores() {
        return false;
    }

    @Override
    public String toString() {
        return "AllPositiveSplit";
    }

    /** The {@code all-positive} factory (no options). */
    public static final class Factory implements SplitStrategyFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "all-positive";
        }

        @Override
        public String description() {
            return "LPL ablation: every class is augmented by loss maximisation";
        }

        @Override
        public SplitStrategy create(Settings settings) {
            requireNonNull(settings, "settings is null");
            return new AllPositiveSplit();
        }
    }
}
