package dev.lpl.methods.objective;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.Settings;
import dev.lpl.api.objective.ClassWeighting;
import dev.lpl.api.objective.ClassWeightingFactory;
import java.util.Locale;
import java.util.Optional;

/**
 * Deferred re-weighting, DRW (Cao, Wei, Gaidon, Arechiga and Ma, NeurIPS 2019, Algorithm 1 and
 * §3.3): the plain (unweighted) mean before the deferral epoch, class-balanced weights ({@link
 * ClassBalancedWeighting}, Cui et al., CVPR 2019) from it on. The deferral epoch is {@code
 * start-epoch} when set, else {@code ⌊start·totalEpochs⌋} (0.8 of 200 epochs = epoch 160, 0-based,
 * as in the LDAM-DRW code).
 */
public final class DeferredReweighting implements ClassWeighting {

    /** Tolerance added to {@code start·totalEpochs} before flooring (0.29·100 is 28.999…). */
    static final double FLOOR_TOLERANCE = 1e-9;

    private final double start;
    private final Integer startEpoch;
    private final double beta;

    /**
     * Creates the weighting.
     *
     * @param start the deferral point as a fraction of training, in [0, 1]
     * @param startEpoch the 0-based deferral epoch, which wins over {@code start} when not null
     * @param beta β of the class-balanced weights, in [0, 1)
     */
    public DeferredReweighting(double start, Integer startEpoch, double beta) {
        if (!(start >= 0 && start <= 1)) {
            throw new IllegalArgumentException("start must be in [0, 1]: " + start);
        }
        if (startEpoch != null && startEpoch < 0) {
            throw new IllegalArgumentException("startEpoch must be >= 0: " + startEpoch);
        }
        this.start = start;
        this.startEpoch = startEpoch;
        this.beta = ClassBalancedWeighting.checkBeta(beta);
    }

    /**
     * Returns the first epoch with class-balanced weights.
     *
     * @param totalEpochs the number of epochs of the run
     * @return the 0-based deferral epoch
     */
    public int deferralEpoch(int totalEpochs) {
        if (startEpoch != null) {
            return startEpoch;
        }
        return (int) Math.floor(start * totalEpochs + FLOOR_TOLERANCE);
    }

    @Override
    public Optional<float[]> weights(long[] classCounts, int epoch, int totalEpochs) {
        if (epoch < deferralEpoch(totalEpochs)) {
            return Optional.empty();
        }
        return Optional.of(ClassBalancedWeighting.weights(classCounts, beta));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DeferredReweighting{start=%s, startEpoch=%s, beta=%s}",
                start, startEpoch, beta);
    }

    /**
     * The {@code deferred} factory; reads {@code start} in [0, 1], {@code start-epoch} (null or
     * {@code >= 0}) and {@code beta} in [0, 1).
     */
    public static final class Factory implements ClassWeightingFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "deferred";
        }

        @Override
        public String description() {
            return "deferred re-weighting (DRW): no weights, then class-balanced from 80% of training"
                    + " (Cao et al., NeurIPS 2019)";
        }

        @Override
        public ClassWeighting create(Settings settings) {
            requireNonNull(settings, "settings is null");
            double start = settings.getDouble("start", 0, 1);
            Integer startEpoch = settings.has("start-epoch")
                    ? settings.getInt("start-epoch", 0, Integer.MAX_VALUE)
                    : null;
            return new DeferredReweighting(start, startEpoch, ClassBalancedWeighting.readBeta(settings));
        }
    }
}
