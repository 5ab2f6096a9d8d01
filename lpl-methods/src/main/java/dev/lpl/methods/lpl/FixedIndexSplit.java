package dev.lpl.methods.lpl;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.ClassStatistics;
import dev.lpl.api.perturbation.Split;
import dev.lpl.api.perturbation.SplitStrategy;
import dev.lpl.api.perturbation.SplitStrategyFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The category split for long-tailed data, LPL (Li et al., AAAI 2022) Eq. 10: classes are ranked by
 * decreasing training count {@code n_c} (ties by class index); the first τ ranked classes (the head)
 * are negatively augmented ({@code s_c = −1}, loss minimisation), the rest (the tail) positively
 * ({@code +1}). The split depends on class counts only, so it is evaluated once per batch.
 *
 * <p>τ is either a fixed number of head classes in {@code [0, C]} or {@code auto} = {@code
 * round(0.4·C)} (CIFAR-10-LT: 4, CIFAR-100-LT: 40; docs/methods.md#split-strategies). The split's
 * threshold is τ.
 */
public final class FixedIndexSplit implements SplitStrategy {

    /** The configuration value that selects {@code τ = round(0.4·C)}. */
    public static final String AUTO = "auto";

    private static final String DEFAULT_KEY = "method.lpl.split.fixed-index.tau";
    private static final int AUTO_TAU = -1;

    private final int tau;
    private final String tauKey;

    private FixedIndexSplit(int tau, String tauKey) {
        this.tau = tau;
        this.tauKey = requireNonNull(tauKey, "tauKey is null");
    }

    /**
     * Creates the split with {@code τ = round(0.4·C)}.
     *
     * @return the split
     */
    public static FixedIndexSplit auto() {
        return new FixedIndexSplit(AUTO_TAU, DEFAULT_KEY);
    }

    /**
     * Creates the split with a fixed number of head classes.
     *
     * @param tau the number of head classes, at least 0 and at most C (checked per batch)
     * @return the split
     */
    public static FixedIndexSplit withHeadCount(int tau) {
        if (tau < 0) {
            throw new IllegalArgumentException("tau must be >= 0: " + tau);
        }
        return new FixedIndexSplit(tau, DEFAULT_KEY);
    }

    /**
     * Returns the automatic number of head classes {@code round(0.4·C)}.
     *
     * @param numClasses C
     * @return {@code round(0.4·C)}
     */
    public static int autoTau(int numClasses) {
        if (numClasses < 0) {
            throw new IllegalArgumentException("numClasses must be >= 0: " + numClasses);
        }
        return (int) Math.round(0.4 * numClasses);
    }

    /**
     * Returns the number of head classes for C classes.
     *
     * @param numClasses C
     * @return τ
     * @throws LplException when a fixed τ exceeds C
     */
    public int headCount(int numClasses) {
        if (tau == AUTO_TAU) {
            return autoTau(numClasses);
        }
        if (tau > numClasses) {
            throw new LplException("invalid configuration value " + tauKey + ": " + tau
                    + " is out of range; allowed: [0, " + numClasses + "] (the number of classes) or '"
                    + AUTO + "'");
        }
        return tau;
    }

    @Override
    public Split split(ClassStatistics statistics) {
        requireNonNull(statistics, "statistics is null");
        int numClasses = statistics.numClasses();
        int head = headCount(numClasses);
        Integer[] order = new Integer[numClasses];
        for (int c = 0; c < numClasses; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> {
            int byCount = Long.compare(statistics.classCount(b), statistics.classCount(a));
            return byCount != 0 ? byCount : Integer.compare(a, b);
        });
        int[] signs = new int[numClasses];
        for (int rank = 0; rank < numClasses; rank++) {
            signs[order[rank]] = rank < head ? -1 : 1;
        }
        return new Split(signs, head);
    }

    /** Refuses a fixed τ above C (the message names the key and the allowed range). */
    @Override
    public void checkNumClasses(int numClasses) {
        headCount(numClasses);
    }

    @Override
    public boolean dependsOnScores() {
        return false;
    }

    @Override
    public String toString() {
        return "FixedIndexSplit{tau=" + (tau == AUTO_TAU ? AUTO : Integer.toString(tau)) + "}";
    }

    /** The {@code fixed-index} factory; reads {@code tau} ({@code auto} or an integer in [0, C]). */
    public static final class Factory implements SplitStrategyFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "fixed-index";
        }

        @Override
        public String description() {
            return "LPL Eq. 10 (long-tailed data): the tau most frequent classes are minimised, the rest"
                    + " maximised";
        }

        @Override
        public SplitStrategy create(Settings settings) {
            requireNonNull(settings, "settings is null");
            String key = settings.path().isEmpty() ? "tau" : settings.path() + ".tau";
            String raw = settings.getString("tau").trim();
            if (raw.toLowerCase(Locale.ROOT).equals(AUTO)) {
                return new FixedIndexSplit(AUTO_TAU, key);
            }
            int tau;
            try {
                tau = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw settings.invalid("tau", "'" + raw + "' is neither '" + AUTO
                        + "' nor an integer; allowed: '" + AUTO + "' or an integer in [0, C]");
            }
            if (tau < 0) {
                throw settings.invalid("tau", tau + " is out of range; allowed: '" + AUTO
                        + "' or an integer in [0, C]");
            }
            return new FixedIndexSplit(tau, key);
        }
    }
}
