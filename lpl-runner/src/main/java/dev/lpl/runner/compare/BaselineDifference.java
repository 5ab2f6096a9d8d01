package dev.lpl.runner.compare;

import dev.lpl.runner.report.RunResults;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Variance;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.TTest;

/**
 * The difference of a group's mean to the baseline group's mean on one figure, with a 95 %
 * confidence interval and a two-sided p-value from Apache Commons Statistics: the paired t-test
 * on the per-seed differences when both groups hold exactly the same seeds (one run each), else
 * Welch's unequal-variance t-test with the Welch–Satterthwaite degrees of freedom. The interval is
 * {@code Δ ± t(0.975, df) · se} with the same standard error and degrees of freedom as the test.
 *
 * @param difference group mean − baseline mean (a fraction; {@code NaN} when a group has no value)
 * @param low the interval's lower end ({@code NaN} when undefined)
 * @param high the interval's upper end ({@code NaN} when undefined)
 * @param pValue the two-sided p-value ({@code NaN} when undefined)
 * @param test which test
 * @param n the group's number of values
 * @param baselineN the baseline's number of values
 * @param note why the interval or p-value is missing, or empty
 */
public record BaselineDifference(
        double difference, double low, double high, double pValue, Test test, int n, int baselineN, String note) {

    /** The confidence level of the interval. */
    public static final double LEVEL = 0.95;

    /** The t-test used. */
    public enum Test {
        /** Welch's unequal-variance t-test. */
        WELCH("Welch"),
        /** The paired t-test on per-seed differences. */
        PAIRED("paired");

        private final String label;

        Test(String label) {
            this.label = label;
        }

        /**
         * Returns the name printed in tables.
         *
         * @return {@code Welch} or {@code paired}
         */
        public String label() {
            return label;
        }
    }

    /**
     * Compares a group with the baseline.
     *
     * @param group the group's runs
     * @param baseline the baseline's runs
     * @param value a run's figure (a fraction, {@code NaN} when absent; such runs are left out)
     * @return the difference
     */
    public static BaselineDifference of(List<RunResults> group, List<RunResults> baseline,
            ToDoubleFunction<RunResults> value) {
        Optional<double[][]> pairs = pairedBySeed(group, baseline, value);
        if (pairs.isPresent()) {
            return paired(pairs.get()[0], pairs.get()[1]);
        }
        return welch(values(group, value), values(baseline, value));
    }

    /**
     * The paired comparison of x with y (same length, pairs in order).
     *
     * @param x the group's values
     * @param y the baseline's values, y[i] paired with x[i]
     * @return the difference
     */
    static BaselineDifference paired(double[] x, double[] y) {
        int n = x.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = x[i] - y[i];
        }
        double mean = mean(d);
        if (n < 2) {
            return new BaselineDifference(mean, Double.NaN, Double.NaN, Double.NaN, Test.PAIRED, n, n, "n < 2");
        }
        double se = Math.sqrt(variance(d) / n);
        if (se == 0) {
            return new BaselineDifference(mean, Double.NaN, Double.NaN, Double.NaN, Test.PAIRED, n, n,
                    "identical differences: no t-test");
        }
        TTest.Result result = TTest.withDefaults().with(AlternativeHypothesis.TWO_SIDED).pairedTest(x, y);
        double half = quantile(result.getDegreesOfFreedom()) * se;
        return new BaselineDifference(mean, mean - half, mean + half, result.getPValue(), Test.PAIRED, n, n, "");
    }

    /**
     * Welch's comparison of x with y.
     *
     * @param x the group's values
     * @param y the baseline's values
     * @return the difference
     */
    static BaselineDifference welch(double[] x, double[] y) {
        double difference = x.length == 0 || y.length == 0 ? Double.NaN : mean(x) - mean(y);
        if (x.length < 2 || y.length < 2) {
            return new BaselineDifference(difference, Double.NaN, Double.NaN, Double.NaN, Test.WELCH, x.length, y.length,
                    "n < 2");
        }
        double se = Math.sqrt(variance(x) / x.length + variance(y) / y.length);
        if (se == 0) {
            return new BaselineDifference(difference, Double.NaN, Double.NaN, Double.NaN, Test.WELCH, x.length,
                    y.length, "no spread in either group: no t-test");
        }
        TTest.Result result = TTest.withDefaults().with(AlternativeHypothesis.TWO_SIDED)
                .with(DataDispersion.HETEROSCEDASTIC).test(x, y);
        double half = quantile(result.getDegreesOfFreedom()) * se;
        return new BaselineDifference(difference, difference - half, difference + half, result.getPValue(), Test.WELCH,
                x.length, y.length, "");
    }

    /** The t quantile of a two-sided 95 % interval. */
    private static double quantile(double degreesOfFreedom) {
        return TDistribution.of(degreesOfFreedom).inverseSurvivalProbability((1 - LEVEL) / 2);
    }

    /**
     * Pairs the runs by seed when both groups hold the same seeds, one run each, with a value.
     */
    private static Optional<double[][]> pairedBySeed(List<RunResults> group, List<RunResults> baseline,
            ToDoubleFunction<RunResults> value) {
        Map<String, Double> mine = bySeed(group, value);
        Map<String, Double> theirs = bySeed(baseline, value);
        if (mine == null || theirs == null || !mine.keySet().equals(theirs.keySet())) {
            return Optional.empty();
        }
        List<String> seeds = new ArrayList<>(mine.keySet());
        seeds.sort(null);
        double[] x = new double[seeds.size()];
        double[] y = new double[seeds.size()];
        for (int i = 0; i < seeds.size(); i++) {
            x[i] = mine.get(seeds.get(i));
            y[i] = theirs.get(seeds.get(i));
        }
        return Optional.of(new double[][] {x, y});
    }

    /** Seed → value, or null when a run lacks a seed or a value, or two runs share a seed. */
    private static Map<String, Double> bySeed(List<RunResults> runs, ToDoubleFunction<RunResults> value) {
        Map<String, Double> out = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (RunResults run : runs) {
            Optional<String> seed = run.seed();
            double v = value.applyAsDouble(run);
            if (seed.isEmpty() || Double.isNaN(v) || !seen.add(seed.get())) {
                return null;
            }
            out.put(seed.get(), v);
        }
        return out.isEmpty() ? null : out;
    }

    private static double[] values(List<RunResults> runs, ToDoubleFunction<RunResults> value) {
        return runs.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).toArray();
    }

    private static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Mean.of(v).getAsDouble();
    }

    /** The sample variance (divisor n − 1). */
    private static double variance(double[] v) {
        return Variance.of(v).getAsDouble();
    }

    /**
     * Returns whether the interval and p-value exist.
     *
     * @return false with a note
     */
    public boolean tested() {
        return !Double.isNaN(pValue);
    }
}
