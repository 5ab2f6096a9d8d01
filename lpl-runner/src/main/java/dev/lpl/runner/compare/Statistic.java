package dev.lpl.runner.compare;

/**
 * Mean and sample standard deviation of the values a group of runs has for one figure; runs that
 * lack the figure (an empty shot group, a field an older lpl did not write) are left out.
 *
 * @param mean the mean, {@code NaN} without values
 * @param std the sample standard deviation (divisor n − 1), {@code NaN} with fewer than two values
 * @param count the number of values
 */
public record Statistic(double mean, double std, int count) {

    /**
     * Summarises values, ignoring {@code NaN}s.
     *
     * @param values the values
     * @return their statistic
     */
    public static Statistic of(double... values) {
        int n = 0;
        double sum = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                n++;
                sum += v;
            }
        }
        if (n == 0) {
            return new Statistic(Double.NaN, Double.NaN, 0);
        }
        double mean = sum / n;
        if (n == 1) {
            return new Statistic(mean, Double.NaN, 1);
        }
        double squares = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                squares += (v - mean) * (v - mean);
            }
        }
        return new Statistic(mean, Math.sqrt(squares / (n - 1)), n);
    }

    /**
     * Returns whether there is no value.
     *
     * @return count is 0
     */
    public boolean isEmpty() {
        return count == 0;
    }

    /**
     * Scales mean and deviation (e.g. by 100 for percent).
     *
     * @param factor the factor
     * @return the scaled statistic
     */
    public Statistic scaled(double factor) {
        return new Statistic(mean * factor, std * factor, count);
    }
}
