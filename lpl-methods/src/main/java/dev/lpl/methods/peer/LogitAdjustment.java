package dev.lpl.methods.peer;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.perturbation.TrainingView;
import java.util.List;
import java.util.Locale;

/**
 * Logit adjustment (Menon, Jayasumana, Rawat, Jain, Veit and Kumar, "Long-tail learning via logit
 * adjustment", ICLR 2021), with the prior {@code π_c = n_c/N} of the training counts:
 *
 * <ul>
 *   <li>{@code mode = loss} (the logit-adjusted loss, Eq. 10): the loss is taken on {@code u_i +
 *       τ·log(π + 1e-12)}, the same shift on every class of every sample; predictions use the raw
 *       logits.
 *   <li>{@code mode = post-hoc} (post-hoc correction, Eq. 9): training is plain cross-entropy (the
 *       logits are returned unchanged) and predictions take {@code argmax_c u_c − τ·log(π_c +
 *       1e-12)} ({@link #predictionLogits}).
 * </ul>
 *
 * <p>τ is the λ of LA + LPL ({@code docs/methods.md#logit-adjustment}). A call issues two engine
 * operations (the C-vector and a broadcast addition); the shift is a constant, so the gradient with
 * respect to the logits is unchanged.
 */
public final class LogitAdjustment implements Perturbation {

    /** Where the adjustment is applied. */
    public enum Mode {
        /** The logit-adjusted loss (Eq. 10). */
        LOSS("loss"),
        /** Post-hoc correction of the predictions (Eq. 9). */
        POST_HOC("post-hoc");

        private final String configName;

        Mode(String configName) {
            this.configName = configName;
        }

        /**
         * Returns the configuration name.
         *
         * @return {@code loss} or {@code post-hoc}
         */
        public String configName() {
            return configName;
        }

        /**
         * Returns the configuration names of every mode.
         *
         * @return the names
         */
        public static List<String> configNames() {
            return List.of(LOSS.configName, POST_HOC.configName);
        }

        /**
         * Returns the mode of a configuration name.
         *
         * @param name {@code loss} or {@code post-hoc}
         * @return the mode
         */
        public static Mode of(String name) {
            for (Mode mode : values()) {
                if (mode.configName.equals(name)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown mode " + name + "; use one of " + configNames());
        }
    }

    private final Mode mode;
    private final double tau;

    /**
     * Creates the method.
     *
     * @param mode where the adjustment is applied
     * @param tau the scale τ of {@code log π}, finite and {@code >= 0}
     */
    public LogitAdjustment(Mode mode, double tau) {
        this.mode = requireNonNull(mode, "mode is null");
        if (!(tau >= 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("tau must be finite and >= 0: " + tau);
        }
        this.tau = tau;
    }

    /**
     * Returns the mode.
     *
     * @return where the adjustment is applied
     */
    public Mode mode() {
        return mode;
    }

    /**
     * Returns τ.
     *
     * @return the scale of {@code log π}
     */
    public double tau() {
        return tau;
    }

    /**
     * Returns {@code u + τ·log(π + 1e-12)} in loss mode, the logits themselves in post-hoc mode.
     *
     * @param logits the B×C logits
     * @param labels the B labels (only their number is checked)
     * @param view the training state (class counts and manager)
     * @return the perturbed logits
     */
    @Override
    public NDArray perturb(NDArray logits, NDArray labels, TrainingView view) {
        requireNonNull(view, "view is null");
        ClassOffsets.checkBatch(logits, labels, view.numClasses());
        if (mode == Mode.POST_HOC) {
            return logits;
        }
        return ClassOffsets.addToRows(logits, ClassOffsets.logPrior(view.classCounts(), tau), view.manager());
    }

    /**
     * Returns {@code u − τ·log(π + 1e-12)} in post-hoc mode (the temporary lives on the logits'
     * manager), the raw logits in loss mode.
     *
     * @param logits the B×C raw logits
     * @param classCounts the training counts
     * @return the logits to take the argmax of
     */
    @Override
    public NDArray predictionLogits(NDArray logits, long[] classCounts) {
        requireNonNull(logits, "logits is null");
        if (mode == Mode.LOSS) {
            return logits;
        }
        if (logits.getShape().dimension() != 2 || logits.getShape().get(1) != classCounts.length) {
            throw new IllegalArgumentException("logits must be B×C with C = " + classCounts.length + ": "
                    + logits.getShape());
        }
        return ClassOffsets.addToRows(logits, ClassOffsets.logPrior(classCounts, -tau), logits.getManager());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LogitAdjustment{mode=%s, tau=%s}", mode.configName(), tau);
    }

    /** The {@code la} factory; reads {@code mode} ({@code loss | post-hoc}) and {@code tau} (>= 0). */
    public static final class Factory implements PerturbationFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "la";
        }

        @Override
        public String description() {
            return "logit adjustment, loss u + tau*log(prior) or post-hoc u - tau*log(prior)"
                    + " (Menon et al., ICLR 2021)";
        }

        @Override
        public Perturbation create(Settings settings, Components components) {
            requireNonNull(settings, "settings is null");
            requireNonNull(components, "components is null");
            Mode mode = Mode.of(settings.getChoice("mode", Mode.configNames()));
            double tau = settings.getDouble("tau", 0, Double.POSITIVE_INFINITY);
            if (Double.isInfinite(tau)) {
                throw settings.invalid("tau", "must be finite");
            }
            return new LogitAdjustment(mode, tau);
        }
    }
}
