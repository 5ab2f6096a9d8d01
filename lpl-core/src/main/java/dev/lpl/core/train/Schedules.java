package dev.lpl.core.train;

import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.training.LearningRateSchedule;
import java.util.List;

/**
 * The learning-rate schedules, each with an optional linear warm-up: during the first W epochs
 * the factor is {@code (e+1)/W} (LDAM-DRW's warm-up: 0.2, 0.4, … of the base rate for W = 5),
 * after it the schedule's own factor.
 */
public final class Schedules {

    private Schedules() {}

    /**
     * A schedule with warm-up.
     *
     * @param warmupEpochs W ≥ 0
     * @param after the factor after the warm-up
     * @return the schedule
     */
    static LearningRateSchedule withWarmup(int warmupEpochs, LearningRateSchedule after) {
        return (epoch, fraction, total) ->
                epoch < warmupEpochs ? (epoch + 1) / (double) warmupEpochs : after.factor(epoch, fraction, total);
    }

    /**
     * Constant factor 1.
     *
     * @param settings the {@code schedule} block
     * @return the schedule
     */
    public static LearningRateSchedule constant(Settings settings) {
        return withWarmup(warmup(settings), (epoch, fraction, total) -> 1.0);
    }

    /**
     * Multi-step decay: the factor is {@code γ^k}, k the number of milestones ≤ the epoch (PyTorch's
     * {@code MultiStepLR}). LDAM-DRW's CIFAR-LT recipe is milestones [160, 180] with γ = 0.01.
     *
     * @param settings the {@code schedule} block
     * @return the schedule
     */
    public static LearningRateSchedule multiStep(Settings settings) {
        Settings own = settings.getSettings("multi-step");
        List<Integer> milestones = own.getIntList("milestones");
        double gamma = own.getDouble("gamma", 0, 1);
        for (int i = 0; i < milestones.size(); i++) {
            if (milestones.get(i) < 0 || (i > 0 && milestones.get(i) <= milestones.get(i - 1))) {
                throw own.invalid("milestones", milestones + " must be non-negative and strictly increasing");
            }
        }
        int[] steps = milestones.stream().mapToInt(Integer::intValue).toArray();
        return withWarmup(warmup(settings), (epoch, fraction, total) -> {
            int k = 0;
            for (int m : steps) {
                if (epoch >= m) {
                    k++;
                }
            }
            return Math.pow(gamma, k);
        });
    }

    /**
     * Cosine annealing from 1 to {@code final-factor} over the epochs after the warm-up, evaluated
     * at every step (fractional epochs).
     *
     * @param settings the {@code schedule} block
     * @return the schedule
     */
    public static LearningRateSchedule cosine(Settings settings) {
        Settings own = settings.getSettings("cosine");
        double last = own.getDouble("final-factor", 0, 1);
        int warmup = warmup(settings);
        return withWarmup(warmup, (epoch, fraction, total) -> {
            double span = Math.max(1, total - warmup);
            double t = Math.min(1.0, (epoch - warmup + fraction) / span);
            return last + (1 - last) * 0.5 * (1 + Math.cos(Math.PI * t));
        });
    }

    private static int warmup(Settings settings) {
        int w = settings.getInt("warmup-epochs");
        if (w < 0) {
            throw new LplException("invalid configuration value schedule.warmup-epochs: " + w
                    + " is out of range; allowed: [0, training.epochs]");
        }
        return w;
    }
}
