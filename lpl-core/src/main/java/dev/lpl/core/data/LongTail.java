package dev.lpl.core.data;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Long-tailed sampling of a training set, as in LDAM-DRW's {@code imbalance_cifar.py} (Cao et al.,
 * NeurIPS 2019): class c keeps {@code n_c} of its images, chosen by a seeded per-class shuffle;
 * class 0 is the head. The test set is never sampled.
 *
 * <ul>
 *   <li>{@code exponential}: {@code n_c = ⌊n_max · ρ^(−c/(C−1))⌋};
 *   <li>{@code step}: the first ⌊C/2⌋ classes keep {@code n_max}, the others {@code ⌊n_max/ρ⌋};
 *   <li>{@code none}: every image is kept.
 * </ul>
 *
 * <p>{@code n_max} is the largest class count of the source set (the balanced per-class count).
 */
public final class LongTail {

    /** The shape of the class-count profile. */
    public enum Profile {
        /** Keep every image. */
        NONE,
        /** Exponential decay from head to tail. */
        EXPONENTIAL,
        /** Half the classes at {@code n_max}, half at {@code n_max/ρ}. */
        STEP;

        /**
         * Parses a configuration value.
         *
         * @param value {@code none}, {@code exponential} or {@code step}
         * @return the profile
         */
        public static Profile parse(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new LplException("invalid configuration value data.long-tail.profile: '" + value
                        + "' is not allowed; use one of [none, exponential, step]");
            }
        }
    }

    private final Profile profile;
    private final double ratio;

    /**
     * Creates a sampler.
     *
     * @param profile the profile
     * @param ratio the imbalance ratio ρ = n_max/n_min, at least 1
     */
    public LongTail(Profile profile, double ratio) {
        this.profile = requireNonNull(profile, "profile is null");
        if (!(ratio >= 1)) {
            throw new LplException("invalid configuration value data.long-tail.ratio: " + ratio
                    + " is out of range; allowed: [1, ∞)");
        }
        this.ratio = ratio;
    }

    /**
     * Returns the profile.
     *
     * @return the profile
     */
    public Profile profile() {
        return profile;
    }

    /**
     * Returns the imbalance ratio.
     *
     * @return ρ
     */
    public double ratio() {
        return ratio;
    }

    /**
     * Returns the target count of every class.
     *
     * @param numClasses C
     * @param maxCount {@code n_max}
     * @return {@code n_c}, length C
     */
    public long[] targetCounts(int numClasses, long maxCount) {
        long[] counts = new long[numClasses];
        for (int c = 0; c < numClasses; c++) {
            switch (profile) {
                case NONE -> counts[c] = maxCount;
                case EXPONENTIAL -> counts[c] = numClasses == 1
                        ? maxCount
                        : (long) Math.floor(maxCount * Math.pow(ratio, -(double) c / (numClasses - 1)));
                case STEP -> counts[c] = c < numClasses / 2 ? maxCount : (long) Math.floor(maxCount / ratio);
                default -> throw new AssertionError(profile);
            }
        }
        return counts;
    }

    /**
     * Chooses the images to keep.
     *
     * @param labels the labels of the source set
     * @param numClasses C
     * @param seed the sampling seed
     * @return the kept indices, class by class (class 0 first), each class in shuffled order;
     *     all indices in order when the profile is {@code none}
     */
    public int[] sample(int[] labels, int numClasses, long seed) {
        if (profile == Profile.NONE) {
            int[] all = new int[labels.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        int[][] byClass = ClassIndices.of(labels, numClasses);
        long maxCount = Arrays.stream(byClass).mapToLong(c -> c.length).max().orElse(0);
        long[] target = targetCounts(numClasses, maxCount);
        SplittableRandom random = new SplittableRandom(seed);
        int total = 0;
        int[][] kept = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            int[] idx = byClass[c].clone();
            shuffle(idx, random);
            int n = (int) Math.min(target[c], idx.length);
            kept[c] = Arrays.copyOf(idx, n);
            total += n;
        }
        int[] out = new int[total];
        int k = 0;
        for (int[] cls : kept) {
            System.arraycopy(cls, 0, out, k, cls.length);
            k += cls.length;
        }
        return out;
    }

    /**
     * Shuffles in place (Fisher–Yates).
     *
     * @param values the values
     * @param random the random source
     */
    static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
