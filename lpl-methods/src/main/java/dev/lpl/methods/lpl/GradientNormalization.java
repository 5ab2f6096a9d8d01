package dev.lpl.methods.lpl;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the PGD-like inner solver of LPL (Li et al., AAAI 2022, Algorithm 1) scales the class-mean
 * gradient {@code g_c} of Eqs. 11–12 before a step (option {@code method.lpl.optimizer.pgd.normalize}).
 */
public enum GradientNormalization {
    /** {@code ĝ_c = g_c / ‖g_c‖₂} (the default, docs/methods.md#inner-solver). */
    ROW,
    /** Row c of the C×C matrix G divided by the norm of column c of G (the authors' code). */
    COLUMN,
    /** {@code ĝ_c = g_c}. */
    NONE;

    /**
     * Returns the configuration value.
     *
     * @return {@code row}, {@code column} or {@code none}
     */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration value.
     *
     * @param value {@code row}, {@code column} or {@code none}
     * @return the normalisation
     */
    public static GradientNormalization of(String value) {
        requireNonNull(value, "value is null");
        for (GradientNormalization n : values()) {
            if (n.configName().equals(value)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown normalization '" + value + "'; use one of " + configNames());
    }

    /**
     * Returns all configuration values.
     *
     * @return {@code [row, column, none]}
     */
    public static List<String> configNames() {
        return Arrays.stream(values()).map(GradientNormalization::configName).toList();
    }
}
