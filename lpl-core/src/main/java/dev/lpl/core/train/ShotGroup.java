package dev.lpl.core.train;

/**
 * The shot groups of the long-tail literature (Liu et al., "Large-Scale Long-Tailed Recognition in
 * an Open World", CVPR 2019): many-shot classes have more than 100 training samples, medium-shot
 * 20 to 100, few-shot fewer than 20.
 */
public enum ShotGroup {
    /** More than 100 training samples. */
    MANY,
    /** 20 to 100 training samples. */
    MEDIUM,
    /** Fewer than 20 training samples. */
    FEW;

    /**
     * Returns the group of a class.
     *
     * @param trainingCount the class's training count
     * @return its group
     */
    public static ShotGroup of(long trainingCount) {
        if (trainingCount > 100) {
            return MANY;
        }
        return trainingCount >= 20 ? MEDIUM : FEW;
    }

    /**
     * Returns the lower-case name used in outputs.
     *
     * @return {@code many}, {@code medium} or {@code few}
     */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
