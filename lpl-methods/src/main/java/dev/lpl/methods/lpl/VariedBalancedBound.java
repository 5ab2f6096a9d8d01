package dev.lpl.methods.lpl;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.BoundStrategy;
import dev.lpl.api.perturbation.BoundStrategyFactory;
import dev.lpl.api.perturbation.ClassStatistics;
import dev.lpl.api.perturbation.Split;

/**
 * The varied bound for balanced data, LPL (Li et al., AAAI 2022) Eq. 13: {@code ε_c = ε +
 * Δε·|τ − q̄_c|}, so classes far from the threshold τ of a score-based split (Eq. 9) are perturbed
 * more.
 *
 * <p>With {@code normalize} (the default, as in the authors' code) {@code |τ − q̄_c|} is divided by
 * its largest value among the present classes with the same sign {@code s_c} (the same side of τ),
 * so the term lies in [0, 1]; a side whose largest distance is 0 gets the term 0. Absent classes get
 * {@code ε}. The split must give a score threshold (τ not NaN), which a count-based split such as
 * {@code fixed-index} does not.
 *
 * <p>With {@code countAbsentAsZero} the classes absent from the batch take part in the
 * normalisation with score 0, as in the authors' code (which gives them {@code q̄ = 0} and sorts
 * them with the others before dividing by the largest distance): their distance {@code τ − 0}
 * lies on the positive side and is its largest whenever a class is absent, so every present
 * positive class gets a smaller term than without the option. τ itself is the split's.
 */
public final class VariedBalancedBound implements BoundStrategy {

    private final double epsilon;
    private final double deltaEpsilon;
    private final boolean normalize;
    private final boolean countAbsentAsZero;

    /**
     * Creates the strategy with absent classes left out of the normalisation.
     *
     * @param epsilon ε, at least 0
     * @param deltaEpsilon Δε, at least 0
     * @param normalize whether to scale each side's distances to [0, 1]
     */
    public VariedBalancedBound(double epsilon, double deltaEpsilon, boolean normalize) {
        this(epsilon, deltaEpsilon, normalize, false);
    }

    /**
     * Creates the strategy.
     *
     * @param epsilon ε, at least 0
     * @param deltaEpsilon Δε, at least 0
     * @param normalize whether to scale each side's distances to [0, 1]
     * @param countAbsentAsZero whether classes absent from the batch enter the normalisation with
     *     score 0 (the authors' code); no effect without {@code normalize}
     */
    public VariedBalancedBound(double epsilon, double deltaEpsilon, boolean normalize, boolean countAbsentAsZero) {
        this.epsilon = Bounds.requireNonNegative("epsilon", epsilon);
        this.deltaEpsilon = Bounds.requireNonNegative("deltaEpsilon", deltaEpsilon);
        this.normalize = normalize;
        this.countAbsentAsZero = countAbsentAsZero;
    }

    @Override
    public double[] bounds(ClassStatistics statistics, Split split) {
        requireNonNull(statistics, "statistics is null");
        requireNonNull(split, "split is null");
        int[] signs = Bounds.signs(statistics, split);
        double tau = split.threshold();
        if (Double.isNaN(tau)) {
            throw new IllegalArgumentException("varied-balanced bound (Eq. 13) needs a split with a score"
                    + " threshold tau (such as mean); this split has none: " + split);
        }
        int numClasses = statistics.numClasses();
        double[] distance = new double[numClasses];
        double largestPositive = 0;
        double largestNegative = 0;
        for (int c = 0; c < numClasses; c++) {
            if (statistics.present(c)) {
                distance[c] = Math.abs(tau - statistics.score(c));
                if (signs[c] > 0) {
                    largestPositive = Math.max(largestPositive, distance[c]);
                } else {
                    largestNegative = Math.max(largestNegative, distance[c]);
                }
            } else if (countAbsentAsZero && tau > 0) {
                largestPositive = Math.max(largestPositive, tau); // score 0 < τ: the positive side
            }
        }
        double[] bounds = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            double term = distance[c];
            if (normalize) {
                double largest = signs[c] > 0 ? largestPositive : largestNegative;
                term = largest > 0 ? term / largest : 0;
            }
            bounds[c] = epsilon + deltaEpsilon * term;
        }
        return bounds;
    }

    @Override
    public String toString() {
        return "VariedBalancedBound{epsilon=" + epsilon + ", deltaEpsilon=" + deltaEpsilon
                + ", normalize=" + normalize + ", countAbsentAsZero=" + countAbsentAsZero + "}";
    }

    /**
     * The {@code varied-balanced} factory; reads {@code epsilon} (≥ 0), {@code delta-epsilon} (≥ 0),
     * {@code normalize} and {@code count-absent-as-zero}.
     */
    public static final class Factory implements BoundStrategyFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "varied-balanced";
        }

        @Override
        public String description() {
            return "LPL Eq. 13 (balanced data): epsilon_c = epsilon + delta-epsilon * |tau - q_c|";
        }

        @Override
        public BoundStrategy create(Settings settings) {
            requireNonNull(settings, "settings is null");
            return new VariedBalancedBound(
                    Bounds.nonNegative(settings, "epsilon"),
                    Bounds.nonNegative(settings, "delta-epsilon"),
                    settings.getBoolean("normalize"),
                    settings.getBoolean("count-absent-as-zero"));
        }
    }
}
