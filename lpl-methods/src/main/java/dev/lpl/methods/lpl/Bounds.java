package dev.lpl.methods.lpl;

import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.ClassStatistics;
import dev.lpl.api.perturbation.Split;

/** Checks shared by the bound strategies. */
final class Bounds {

    private Bounds() {
    }

    /**
     * Reads a non-negative, finite-or-infinite bound option.
     *
     * @param settings the strategy's block
     * @param key the key
     * @return the value, at least 0
     */
    static double nonNegative(Settings settings, String key) {
        return settings.getDouble(key, 0.0, Double.POSITIVE_INFINITY);
    }

    /**
     * Checks an option given in code.
     *
     * @param name the option's name
     * @param value its value
     * @return the value
     */
    static double requireNonNegative(String name, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(name + " must be >= 0: " + value);
        }
        return value;
    }

    /**
     * Checks that the split matches the statistics.
     *
     * @param statistics the batch statistics
     * @param split the split
     * @return the split's signs
     */
    static int[] signs(ClassStatistics statistics, Split split) {
        int[] signs = split.signs();
        if (signs.length != statistics.numClasses()) {
            throw new IllegalArgumentException("split has " + signs.length + " signs for "
                    + statistics.numClasses() + " classes");
        }
        return signs;
    }
}
