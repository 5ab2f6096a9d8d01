package dev.lpl.methods.objective;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.Settings;
import dev.lpl.api.objective.ClassWeighting;
import dev.lpl.api.objective.ClassWeightingFactory;
import java.util.Locale;
import java.util.Optional;

/**
 * Class-balanced weights (Cui, Jia, Lin, Song and Belongie, "Class-Balanced Loss Based on
 * Effective Number of Samples", CVPR 2019, Eqs. 3–4): {@code w_c = (1 − β)/(1 − β^{n_c})}, the
 * inverse effective number of samples, normalised so {@code Σ_c w_c = C}. β = 0 gives 1 for every
 * class; β → 1 approaches inverse class frequency. A class with no training sample (which never is
 * a label) gets weight 0 and the others share the sum C. The weights do not depend on the epoch.
 */
public final class ClassBalancedWeighting implements ClassWeighting {

    private final double beta;

    /**
     * Creates the weighting.
     *
     * @param beta β in [0, 1)
     */
    public ClassBalancedWeighting(double beta) {
        this.beta = checkBeta(beta);
    }

    static double checkBeta(double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("beta must be in [0, 1): " + beta);
        }
        return beta;
    }

    /**
     * Returns the class-balanced weights of some counts.
     *
     * @param classCounts the training counts {@code n_c}, non-negative, not all 0
     * @param beta β in [0, 1)
     * @return C weights summing to C
     */
    public static float[] weights(long[] classCounts, double beta) {
        requireNonNull(classCounts, "classCounts is null");
        checkBeta(beta);
        double[] weights = new double[classCounts.length];
        double total = 0;
        for (int c = 0; c < classCounts.length; c++) {
            long n = classCounts[c];
            if (n < 0) {
                throw new IllegalArgumentException("class counts must be >= 0: " + n);
            }
            weights[c] = n == 0 ? 0 : (1 - beta) / (1 - Math.pow(beta, n));
            total += weights[c];
        }
        if (total == 0) {
            throw new IllegalArgumentException("class counts must not all be 0");
        }
        float[] normalised = new float[weights.length];
        for (int c = 0; c < weights.length; c++) {
            normalised[c] = (float) (weights[c] * weights.length / total);
        }
        return normalised;
    }

    @Override
    public Optional<float[]> weights(long[] classCounts, int epoch, int totalEpochs) {
        return Optional.of(weights(classCounts, beta));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ClassBalancedWeighting{beta=%s}", beta);
    }

    /** Reads β from a block and checks it is in [0, 1). */
    static double readBeta(Settings settings) {
        double beta = settings.getDouble("beta");
        if (!(beta >= 0 && beta < 1)) {
            throw settings.invalid("beta", beta + " is out of range; allowed: [0, 1)");
        }
        return beta;
    }

    /** The {@code class-balanced} factory; reads {@code beta} in [0, 1). */
    public static final class Factory implements ClassWeightingFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "class-balanced";
        }

        @Override
        public String description() {
            return "class-balanced weights (1 - beta)/(1 - beta^n_c), summing to C (Cui et al., CVPR 2019)";
        }

        @Override
        public ClassWeighting create(Settings settings) {
            requireNonNull(settings, "settings is null");
            return new ClassBalancedWeighting(readBeta(settings));
        }
    }
}
