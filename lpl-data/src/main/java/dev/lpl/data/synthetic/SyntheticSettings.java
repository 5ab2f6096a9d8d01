package dev.lpl.data.synthetic;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validated settings of the {@code synthetic} dataset (block {@code data.synthetic}; defaults
 * and documentation in this module's {@code reference.conf}).
 *
 * @param trainPerClass training images of the head class, n_max
 * @param testPerClass test images of every class
 * @param imbalanceRatio ρ = n_max / n_min of the exponential long-tail profile (1 = balanced)
 * @param noise standard deviation of the Gaussian pixel noise, relative to full scale (255)
 * @param jitter largest shift of a shape's centre from the image centre, in pixels
 * @param rotation largest rotation of a shape from its canonical pose, in degrees
 * @param distractor probability that an image gets a random distractor stroke
 * @param minContrast smallest shape-to-background contrast, relative to full scale
 */
public record SyntheticSettings(
        int trainPerClass,
        int testPerClass,
        double imbalanceRatio,
        double noise,
        double jitter,
        double rotation,
        double distractor,
        double minContrast) {

    /** The largest number of images per class and split. */
    public static final int MAX_PER_CLASS = 100_000;

    /** The largest centre shift in pixels. */
    public static final double MAX_JITTER = 8;

    /** The largest rotation jitter in degrees (at 45° plus and X-cross become the same class). */
    public static final double MAX_ROTATION = 45;

    /** The largest imbalance ratio accepted. */
    public static final double MAX_IMBALANCE_RATIO = 1e6;

    /** The largest contrast (foreground at most this much brighter than the background). */
    public static final double MAX_CONTRAST = 0.9;

    /**
     * Checks the ranges (for programmatic use; {@link #from(Settings)} reports them by key).
     *
     * @param trainPerClass training images of the head class, 1..{@value #MAX_PER_CLASS}
     * @param testPerClass test images of every class, 1..{@value #MAX_PER_CLASS}
     * @param imbalanceRatio ρ, 1..{@value #MAX_IMBALANCE_RATIO}
     * @param noise pixel noise, 0..1
     * @param jitter centre shift, 0..{@value #MAX_JITTER}
     * @param rotation rotation jitter, 0..{@value #MAX_ROTATION}
     * @param distractor distractor probability, 0..1
     * @param minContrast smallest contrast, 0.05..{@value #MAX_CONTRAST}
     */
    public SyntheticSettings {
        check("train-per-class", trainPerClass, 1, MAX_PER_CLASS);
        check("test-per-class", testPerClass, 1, MAX_PER_CLASS);
        check("imbalance-ratio", imbalanceRatio, 1, MAX_IMBALANCE_RATIO);
        check("noise", noise, 0, 1);
        check("jitter", jitter, 0, MAX_JITTER);
        check("rotation", rotation, 0, MAX_ROTATION);
        check("distractor", distractor, 0, 1);
        check("min-contrast", minContrast, 0.05, MAX_CONTRAST);
    }

    private static void check(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + " = " + value + " outside [" + min + ", " + max + "]");
        }
    }

    /**
     * Reads and validates the settings.
     *
     * @param settings the block {@code data.synthetic}, defaults merged
     * @return the settings
     * @throws LplException naming the key when a value is out of range
     */
    public static SyntheticSettings from(Settings settings) {
        requireNonNull(settings, "settings is null");
        SyntheticSettings s = new SyntheticSettings(
                settings.getInt("train-per-class", 1, MAX_PER_CLASS),
                settings.getInt("test-per-class", 1, MAX_PER_CLASS),
                settings.getDouble("imbalance-ratio", 1, MAX_IMBALANCE_RATIO),
                settings.getDouble("noise", 0, 1),
                settings.getDouble("jitter", 0, MAX_JITTER),
                settings.getDouble("rotation", 0, MAX_ROTATION),
                settings.getDouble("distractor", 0, 1),
                settings.getDouble("min-contrast", 0.05, MAX_CONTRAST));
        int tail = s.trainCount(Shape.COUNT - 1, Shape.COUNT);
        if (tail < 1) {
            throw settings.invalid(
                    "imbalance-ratio",
                    format(s.imbalanceRatio) + " leaves the tail class " + (Shape.COUNT - 1)
                            + " with floor(" + s.trainPerClass + " / " + format(s.imbalanceRatio)
                            + ") = 0 training images; lower imbalance-ratio or raise train-per-class");
        }
        return s;
    }

    /**
     * Returns the number of training images of a class under the exponential profile {@code n_c =
     * floor(n_max · ρ^(−c/(C−1)))}, computed as in LDAM-DRW's {@code imbalance_cifar.py} ({@code
     * n_max · (1/ρ)^(c/(C−1))}) with {@link StrictMath} so it is the same on every platform.
     *
     * @param c the class, 0 being the head
     * @param classes the number of classes C
     * @return n_c
     */
    public int trainCount(int c, int classes) {
        if (classes < 1 || c < 0 || c >= classes) {
            throw new IllegalArgumentException("class " + c + " outside [0, " + classes + ")");
        }
        if (classes == 1) {
            return trainPerClass;
        }
        double factor = StrictMath.pow(1.0 / imbalanceRatio, c / (classes - 1.0));
        return (int) Math.floor(trainPerClass * factor);
    }

    /**
     * Returns the settings as identity entries, keyed by their configuration names.
     *
     * @return an ordered map of key → value
     */
    public Map<String, String> identity() {
        Map<String, String> id = new LinkedHashMap<>();
        id.put("train-per-class", Integer.toString(trainPerClass));
        id.put("test-per-class", Integer.toString(testPerClass));
        id.put("imbalance-ratio", format(imbalanceRatio));
        id.put("noise", format(noise));
        id.put("jitter", format(jitter));
        id.put("rotation", format(rotation));
        id.put("distractor", format(distractor));
        id.put("min-contrast", format(minContrast));
        return id;
    }

    private static String format(double value) {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }
}
