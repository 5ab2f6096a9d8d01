package dev.lpl.methods.lpl;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.BoundStrategy;
import dev.lpl.api.perturbation.BoundStrategyFactory;
import dev.lpl.api.perturbation.ClassStatistics;
import dev.lpl.api.perturbation.Split;

/**
 * The varied bound for long-tailed data, LPL (Li et al., AAAI 2022) Eq. 14 with the slide typo
 * corrected (docs/methods.md#bounds): head classes ({@code s_c = −1}) get {@code ε + Δε_head·n_c/n_1}, tail
 * classes ({@code s_c = +1}) {@code ε + Δε_tail·n_C/n_c}, where {@code n_1} is the largest and
 * {@code n_C} the smallest training count. Both ratios are at most 1, so the most frequent head class
 * and the rarest tail class get the largest bounds.
 *
 * <p>Classes without training samples (which never appear in a batch) get {@code ε} and do not count
 * as the smallest class.
 */
public final class VariedLongtailBound implements BoundStrategy {

    private final double epsilon;
    private final double headDeltaEpsilon;
    private final double tailDeltaEpsilon;

    /**
     * Creates the strategy.
     *
     * @param epsilon ε, at least 0
     * @param headDeltaEpsilon Δε of head classes, at least 0
     * @param tailDeltaEpsilon Δε of tail classes, at least 0
     */
    public VariedLongtailBound(double epsilon, double headDeltaEpsilon, double tailDeltaEpsilon) {
        this.epsilon = Bounds.requireNonNegative("epsilon", epsilon);
        this.headDeltaEpsilon = Bounds.requireNonNegative("headDeltaEpsilon", headDeltaEpsilon);
        this.tailDeltaEpsilon = Bounds.requireNonNegative("tailDeltaEpsilon", tailDeltaEpsilon);
    }

    @Override
    public double[] bounds(ClassStatistics statistics, Split split) {
        requireNonNull(statistics, "statistics is null");
        requireNonNull(split, "split is null");
        int[] signs = Bounds.signs(statistics, split);
        int numClasses = statistics.numClasses();
        long largest = 0;
        long smallest = Long.MAX_VALUE;
        for (int c = 0; c < numClasses; c++) {
            long count = statistics.classCount(c);
            largest = Math.max(largest, count);
            if (count > 0) {
                smallest = Math.min(smallest, count);
            }
        }
        double[] bounds = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            long count = statistics.classCount(c);
            double term = 0;
            if (count > 0) {
                term = signs[c] < 0
                        ? headDeltaEpsilon * count / largest
                        : tailDeltaEpsilon * smallest / count;
            }
            bounds[c] = epsilon + term;
        }
        return bounds;
    }

    @Override
    public String toString() {
        return "VariedLongtailBound{epsilon=" + epsilon + ", headDeltaEpsilon=" + headDeltaEpsilon
                + ", tailDeltaEpsilon=" + tailDeltaEpsilon + "}";
    }

    /**
     * The {@code varied-longtail} factory; reads {@code epsilon} (≥ 0) and either {@code
     * delta-epsilon} (≥ 0, for both sides, when not null) or {@code delta-epsilon-head} and {@code
     * delta-epsilon-tail} (≥ 0).
     */
    public static final class Factory implements BoundStrategyFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "varied-longtail";
        }

        @Override
        public String description() {
            return "LPL Eq. 14 (long-tailed data): head epsilon + d_head*n_c/n_1, tail epsilon +"
                    + " d_tail*n_C/n_c";
        }

        @Override
        public BoundStrategy create(Settings settings) {
            requireNonNull(settings, "settings is null");
            double epsilon = Bounds.nonNegative(settings, "epsilon");
            if (settings.has("delta-epsilon")) {
                double both = Bounds.nonNegative(settings, "delta-epsilon");
                return new VariedLongtailBound(epsilon, both, both);
            }
            return new VariedLongtailBound(
                    epsilon,
                    Bounds.nonNegative(settings, "delta-epsilon-head"),
                    Bounds.nonNegative(settings, "delta-epsilon-tail"));
        }
    }
}
