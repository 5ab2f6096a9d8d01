package dev.lpl.methods.lpl;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.ClassStatistics;
import dev.lpl.api.perturbation.Split;
import dev.lpl.api.perturbation.SplitStrategy;
import dev.lpl.api.perturbation.SplitStrategyFactory;

/**
 * The category split for balanced data, LPL (Li et al., AAAI 2022) Eq. 9: {@code τ} is the mean
 * class score {@code q̄_c} of the batch and a class is positively augmented ({@code s_c = +1}, loss
 * maximisation) when it is harder than average ({@code q̄_c < τ}), negatively ({@code −1})
 * otherwise. The split depends on the scores, so the inner solver re-evaluates it at every inner
 * step from the perturbed logits.
 *
 * <p>τ is the mean over the classes present in the batch, as in the authors' code (which masks the
 * absent classes out of this mean); with {@code count-absent-as-zero} it is the mean over all C
 * classes with absent classes counted as {@code q̄ = 0}, a variant of lpl's. (The authors' code
 * gives absent classes {@code q̄ = 0} in the varied bound's normalisation only: see {@link
 * VariedBalancedBound}'s option of the same name.)
 * Absent classes get {@code +1}; their sign is irrelevant since they take no step.
 */
public final class MeanSplit implements SplitStrategy {

    private final boolean countAbsentAsZero;

    /**
     * Creates the split.
     *
     * @param countAbsentAsZero whether absent classes enter τ's mean with score 0
     */
    public MeanSplit(boolean countAbsentAsZero) {
        this.countAbsentAsZero = countAbsentAsZero;
    }

    /**
     * Returns whether absent classes enter the mean with score 0.
     *
     * @return the option {@code count-absent-as-zero}
     */
    public boolean countAbsentAsZero() {
        return countAbsentAsZero;
    }

    @Override
    public Split split(ClassStatistics statistics) {
        requireNonNull(statistics, "statistics is null");
        int numClasses = statistics.numClasses();
        double sum = 0;
        int present = 0;
        for (int c = 0; c < numClasses; c++) {
            if (statistics.present(c)) {
                sum += statistics.score(c);
                present++;
            }
        }
        int denominator = countAbsentAsZero ? numClasses : present;
        double tau = present == 0 ? Double.NaN : sum / denominator;
        int[] signs = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            signs[c] = !statistics.present(c) || statistics.score(c) < tau ? 1 : -1;
        }
        return new Split(signs, tau);
    }

    @Override
    public boolean dependsOnScores() {
        return true;
    }

    @Override
    public String toString() {
        return "MeanSplit{countAbsentAsZero=" + countAbsentAsZero + "}";
    }

    /** The {@code mean} factory; reads {@code count-absent-as-zero}. */
    public static final class Factory implements SplitStrategyFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "mean";
        }

        @Override
        public String description() {
            return "LPL Eq. 9 (balanced data): classes below the batch-mean class score are maximised,"
                    + " re-evaluated every inner step";
        }

        @Override
        public SplitStrategy create(Settings settings) {
            requireNonNull(settings, "settings is null");
            return new MeanSplit(settings.getBoolean("count-absent-as-zero"));
        }
    }
}
