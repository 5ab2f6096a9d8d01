package dev.lpl.core.data;

import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a run's validation set is made ({@code data.validation}): a balanced set of {@code
 * per-class} images of every class (as ImageNet-LT's validation set), carved out of the dataset's
 * full training set before the meta set and before long-tail sampling, or the indices of an
 * earlier run's {@code validation-indices.txt}. Model selection ({@code best}) uses it; the test
 * set is never used to choose anything.
 *
 * @param perClass images per class; 0 when {@code fraction} or {@code indicesFile} decides, or no
 *     validation set
 * @param fraction null, or a fraction in (0, 1): per class {@code floor(fraction × n_min)} with
 *     {@code n_min} the smallest class count of the source training set
 * @param indicesFile null, or a file of validation indices to reuse
 */
public record ValidationSplit(int perClass, Double fraction, Path indicesFile) {

    /** No validation set. */
    public static final ValidationSplit NONE = new ValidationSplit(0, null, null);

    /** The configuration key of this block. */
    public static final String KEY = "data.validation";

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if per-class is negative or the fraction is outside (0, 1)
     */
    public ValidationSplit {
        if (perClass < 0) {
            throw new IllegalArgumentException("perClass < 0: " + perClass);
        }
        if (fraction != null && !(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction outside (0, 1): " + fraction);
        }
    }

    /**
     * Reads the {@code data.validation} block.
     *
     * @param validation the block
     * @return the split
     * @throws LplException if per-class and fraction are both set, a value is out of range, or the
     *     indices file does not exist
     */
    public static ValidationSplit parse(Settings validation) {
        int perClass = validation.getInt("per-class", 0, Integer.MAX_VALUE);
        Double fraction = null;
        if (validation.has("fraction")) {
            double value = validation.getDouble("fraction");
            if (!(value > 0 && value < 1)) {
                throw validation.invalid("fraction", value + " is out of range; use a fraction in (0, 1), or null");
            }
            if (perClass > 0) {
                throw validation.invalid("fraction", "both data.validation.per-class (" + perClass + ") and"
                        + " data.validation.fraction (" + value + ") are set; set one of them and leave the other at"
                        + " its default (per-class = 0, fraction = null)");
            }
            fraction = value;
        }
        Path file = null;
        if (validation.has("indices-file")) {
            file = validation.getPath("indices-file");
            if (!Files.isRegularFile(file)) {
                throw validation.invalid("indices-file", file + (Files.exists(file) ? " is not a file" : " does not exist")
                        + "; name the validation-indices.txt of an earlier run, or null to draw the split");
            }
        }
        return new ValidationSplit(perClass, fraction, file);
    }

    /**
     * Returns whether a validation set is made.
     *
     * @return true if per-class, fraction or the indices file is set
     */
    public boolean enabled() {
        return perClass > 0 || fraction != null || indicesFile != null;
    }

    /**
     * Returns the images per class asked for by {@code per-class} or {@code fraction}.
     *
     * @param smallestClassCount {@code n_min} of the source training set
     * @return the count (0 when neither is set)
     */
    public int requestedPerClass(long smallestClassCount) {
        return fraction != null ? (int) Math.floor(fraction * smallestClassCount) : perClass;
    }

    /**
     * Returns how the configuration asked for this split, for messages.
     *
     * @return e.g. {@code data.validation.per-class = 50}
     */
    String describeRequest() {
        return fraction != null ? KEY + ".fraction = " + fraction : KEY + ".per-class = " + perClass;
    }
}
