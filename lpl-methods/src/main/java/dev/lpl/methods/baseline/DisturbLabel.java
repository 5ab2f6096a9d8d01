package dev.lpl.methods.baseline;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.methods.HostLabels;
import java.util.SplittableRandom;

/**
 * DisturbLabel (Xie, Wang, Wang, Wang and Tian, "DisturbLabel: Regularizing CNN on the Loss Layer",
 * CVPR 2016, Sec. 3.1): in every training mini-batch each sample, with probability α, is trained
 * against a label drawn uniformly from all C classes (the true class included), so a fraction
 * {@code α·(C−1)/C} of the labels is wrong. The logits are not changed, and evaluation is plain.
 *
 * <p>The draws come from {@link TrainingView#stepSeed()} only: two uniform numbers per sample in
 * batch order, so the same step of a run (resumed or not) disturbs the same samples the same way.
 * The labels go through the host once per step (B integers, no per-sample native call).
 */
public final class DisturbLabel implements Perturbation {

    private final double alpha;

    /**
     * Creates the method.
     *
     * @param alpha the disturbance probability, in [0, 1]
     */
    public DisturbLabel(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1]: " + alpha);
        }
        this.alpha = alpha;
    }

    /**
     * Returns α.
     *
     * @return the disturbance probability
     */
    public double alpha() {
        return alpha;
    }

    @Override
    public NDArray targets(NDArray labels, TrainingView view) {
        requireNonNull(labels, "labels is null");
        requireNonNull(view, "view is null");
        if (alpha == 0) {
            return labels;
        }
        int[] y = HostLabels.of(labels);
        int numClasses = view.numClasses();
        SplittableRandom random = new SplittableRandom(view.stepSeed());
        long[] disturbed = new long[y.length];
        for (int i = 0; i < y.length; i++) {
            double draw = random.nextDouble();
            int replacement = random.nextInt(numClasses);
            disturbed[i] = draw < alpha ? replacement : y[i];
        }
        NDArray result = view.manager().create(disturbed).reshape(labels.getShape());
        return result.toDevice(labels.getDevice(), false).toType(labels.getDataType(), false);
    }

    @Override
    public NDArray perturb(NDArray logits, NDArray labels, TrainingView view) {
        requireNonNull(logits, "logits is null");
        return logits;
    }

    @Override
    public String toString() {
        return "DisturbLabel{alpha=" + alpha + "}";
    }

    /** The {@code disturb-label} factory; reads {@code alpha} in [0, 1]. */
    public static final class Factory implements PerturbationFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "disturb-label";
        }

        @Override
        public String description() {
            return "DisturbLabel: each label replaced by a uniform class with probability alpha = 0.05 (Xie et al., CVPR 2016)";
        }

        @Override
        public Perturbation create(Settings settings, Components components) {
            requireNonNull(settings, "settings is null");
            return new DisturbLabel(settings.getDouble("alpha", 0, 1));
        }
    }
}
