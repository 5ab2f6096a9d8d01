package dev.lpl.models;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.Settings;

/** Reading and checking the options shared by the model factories. */
final class ModelOptions {

    /** The key of the dropout probability. */
    static final String DROPOUT = "dropout";

    /** The key of the squeeze-and-excitation reduction ratio. */
    static final String REDUCTION = "reduction";

    private ModelOptions() {}

    /**
     * Reads the dropout probability, which must lie in [0, 1).
     *
     * @param settings the model's settings
     * @return the probability
     * @throws dev.lpl.api.LplException naming the key when it is missing, not a number or out of
     *     range
     */
    static float dropout(Settings settings) {
        requireNonNull(settings, "settings is null");
        double rate = settings.getDouble(DROPOUT);
        if (!(rate >= 0.0 && rate < 1.0)) {
            throw settings.invalid(DROPOUT, rate + " is out of range; allowed: [0, 1)");
        }
        return (float) rate;
    }
}
