package dev.lpl.methods.lpl;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.BoundStrategy;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.DifferentiableOptimizer;
import dev.lpl.api.perturbation.InnerProblem;
import dev.lpl.api.perturbation.InnerSolution;
import dev.lpl.api.perturbation.Optimizer;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.perturbation.SplitStrategy;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.methods.HostLabels;

/**
 * LPL — Learning to Perturb Logits (Li, Su, Wu and Zhang, AAAI 2022), Algorithm 2: per mini-batch,
 * from the current logits and without an extra forward pass, split the classes into a positive set
 * (loss maximisation) and a negative set (loss minimisation) (Eqs. 9–10), give every class a bound
 * {@code ε_c} (Eqs. 13–14), find its perturbation {@code δ_c} with the inner solver (Algorithm 1,
 * Eqs. 11–12) and take the loss on {@code u_i + δ_{y_i}} (Eq. 8).
 *
 * <p>The inner problem is solved on a host copy of the logits. With {@code detach} (the default)
 * {@code δ} is a constant, as Algorithm 1 treats it: the result is {@code logits + D} where row i of
 * the constant D is {@code δ_{y_i}}, gathered on the host, so a call issues a handful of native
 * operations whatever the number of inner steps (copy the logits and labels out, create D, add).
 * With {@code detach = false} the solver's {@link DifferentiableOptimizer#solveDifferentiable
 * replay} makes the loss differentiate through the inner loop, as the authors' long-tail code did.
 *
 * <p>LA + LPL (Eq. 15): with {@code logit-adjustment = λ > 0} the logits are first shifted by
 * {@code λ·log(π + 1e-12)} ({@code π_c = n_c/N}, logit adjustment of Menon et al., ICLR 2021) on
 * every class; the split, bounds and inner loop run on the adjusted logits {@code u' = u + λ·log π}
 * and the loss is taken on {@code u' + δ(u')_y}. Evaluation uses the raw logits. The shift is a
 * constant: it adds C numbers to the constant of the detached path and one broadcast addition to the
 * differentiable one.
 */
public final class LplPerturbation implements Perturbation {

    private final SplitStrategy splitStrategy;
    private final BoundStrategy boundStrategy;
    private final Optimizer optimizer;
    private final boolean detach;
    private final double logitAdjustment;

    /**
     * Creates the method without logit adjustment.
     *
     * @param splitStrategy the category split
     * @param boundStrategy the per-class bound
     * @param optimizer the inner solver; a {@link DifferentiableOptimizer} when {@code detach} is
     *     false
     * @param detach whether δ is a constant (true) or differentiated through the inner loop
     */
    public LplPerturbation(
            SplitStrategy splitStrategy, BoundStrategy boundStrategy, Optimizer optimizer, boolean detach) {
        this(splitStrategy, boundStrategy, optimizer, detach, 0);
    }

    /**
     * Creates the method, with the logit adjustment of LA + LPL (Eq. 15) when {@code
     * logitAdjustment > 0}.
     *
     * @param splitStrategy the category split
     * @param boundStrategy the per-class bound
     * @param optimizer the inner solver; a {@link DifferentiableOptimizer} when {@code detach} is
     *     false
     * @param detach whether δ is a constant (true) or differentiated through the inner loop
     * @param logitAdjustment λ, finite and {@code >= 0}: the logits are shifted by {@code λ·log(π +
     *     1e-12)} before the inner loop (0 = plain LPL)
     */
    public LplPerturbation(SplitStrategy splitStrategy, BoundStrategy boundStrategy, Optimizer optimizer,
            boolean detach, double logitAdjustment) {
        this.splitStrategy = requireNonNull(splitStrategy, "splitStrategy is null");
        this.boundStrategy = requireNonNull(boundStrategy, "boundStrategy is null");
        this.optimizer = requireNonNull(optimizer, "optimizer is null");
        if (!detach && !(optimizer instanceof DifferentiableOptimizer)) {
            throw new IllegalArgumentException("detach = false needs a DifferentiableOptimizer: " + optimizer);
        }
        if (!(logitAdjustment >= 0) || Double.isInfinite(logitAdjustment)) {
            throw new IllegalArgumentException("logitAdjustment must be finite and >= 0: " + logitAdjustment);
        }
        this.detach = detach;
        this.logitAdjustment = logitAdjustment;
    }

    /**
     * Returns whether δ is detached.
     *
     * @return the option {@code detach}
     */
    public boolean detach() {
        return detach;
    }

    /**
     * Returns λ of LA + LPL.
     *
     * @return the option {@code logit-adjustment} (0 = plain LPL)
     */
    public double logitAdjustment() {
        return logitAdjustment;
    }

    /**
     * Returns the logit-adjustment shift {@code λ·log(π_c + 1e-12)} of every class, as the floats
     * added to the logits.
     *
     * @param classCounts the training counts {@code n_c}
     * @return C values; all 0 when λ = 0
     */
    public float[] adjustment(long[] classCounts) {
        requireNonNull(classCounts, "classCounts is null");
        float[] shift = new float[classCounts.length];
        if (logitAdjustment == 0) {
            return shift;
        }
        double total = 0;
        for (long n : classCounts) {
            total += n;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("class counts must not all be 0");
        }
        for (int c = 0; c < shift.length; c++) {
            shift[c] = (float) (logitAdjustment * Math.log(classCounts[c] / total + 1e-12));
        }
        return shift;
    }

    /**
     * Solves the inner problem of a batch on host copies, without touching the engine: the split,
     * bounds, step counts and {@code δ} that {@link #perturb} applies (with logit adjustment, those
     * of the adjusted logits).
     *
     * @param logits row-major B×C logits (raw: the adjustment is added here)
     * @param labels B labels in [0, C)
     * @param classCounts the training counts {@code n_c}, length C
     * @return the solution
     */
    public InnerSolution solve(float[] logits, int[] labels, long[] classCounts) {
        float[] adjusted = adjusted(logits, adjustment(classCounts));
        return optimizer.solve(new InnerProblem(adjusted, labels, classCounts, splitStrategy, boundStrategy));
    }

    /** Returns {@code logits + shift} per row (the logits themselves when λ = 0). */
    private float[] adjusted(float[] logits, float[] shift) {
        if (logitAdjustment == 0) {
            return logits;
        }
        float[] adjusted = new float[logits.length];
        int numClasses = shift.length;
        for (int n = 0; n < logits.length; n++) {
            adjusted[n] = logits[n] + shift[n % numClasses];
        }
        return adjusted;
    }

    @Override
    public NDArray perturb(NDArray logits, NDArray labels, TrainingView view) {
        requireNonNull(logits, "logits is null");
        requireNonNull(labels, "labels is null");
        requireNonNull(view, "view is null");
        Shape shape = logits.getShape();
        int numClasses = view.numClasses();
        if (shape.dimension() != 2 || shape.get(1) != numClasses) {
            throw new IllegalArgumentException("logits must be B×C with C = " + numClasses + ": " + shape);
        }
        if (logits.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("logits must be float32: " + logits.getDataType());
        }
        int batchSize = Math.toIntExact(shape.get(0));
        if (labels.size() != batchSize) {
            throw new IllegalArgumentException("labels " + labels.getShape() + " must have B = " + batchSize
                    + " values");
        }
        int[] hostLabels = HostLabels.of(labels);
        long[] classCounts = view.classCounts();
        float[] adjustment = adjustment(classCounts);
        InnerProblem problem = new InnerProblem(adjusted(logits.toFloatArray(), adjustment), hostLabels,
                classCounts, splitStrategy, boundStrategy);
        InnerSolution solution = optimizer.solve(problem);
        float[] delta = solution.delta();
        if (detach) {
            float[] shift = new float[batchSize * numClasses];
            for (int i = 0; i < batchSize; i++) {
                System.arraycopy(delta, hostLabels[i] * numClasses, shift, i * numClasses, numClasses);
            }
            if (logitAdjustment != 0) {
                // u + (a + δ_y): the shift of LA + LPL joins the constant, no extra engine operation
                for (int n = 0; n < shift.length; n++) {
                    shift[n] += adjustment[n % numClasses];
                }
            }
            return logits.add(view.manager().create(shift, shape));
        }
        float[] oneHot = new float[batchSize * numClasses];
        for (int i = 0; i < batchSize; i++) {
            oneHot[i * numClasses + hostLabels[i]] = 1f;
        }
        NDArray start = logitAdjustment == 0
                ? logits
                : logits.add(view.manager().create(adjustment, new Shape(1, numClasses)));
        return ((DifferentiableOptimizer) optimizer)
                .solveDifferentiable(start, view.manager().create(oneHot, shape), problem, solution);
    }

    /** Checks the split, the bound and the inner solver against C. */
    @Override
    public void checkNumClasses(int numClasses) {
        splitStrategy.checkNumClasses(numClasses);
        boundStrategy.checkNumClasses(numClasses);
        optimizer.checkNumClasses(numClasses);
    }

    @Override
    public String toString() {
        return "LplPerturbation{split=" + splitStrategy + ", bound=" + boundStrategy + ", optimizer="
                + optimizer + ", detach=" + detach + ", logitAdjustment=" + logitAdjustment + "}";
    }

    /**
     * The {@code lpl} factory. Reads {@code detach} and {@code logit-adjustment} (λ of LA + LPL,
     * {@code >= 0}) and builds its parts from the blocks {@code split}, {@code bound} and {@code
     * optimizer} through {@link Components}.
     */
    public static final class Factory implements PerturbationFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "lpl";
        }

        @Override
        public String description() {
            return "LPL: learning to perturb logits (Li, Su, Wu, Zhang, AAAI 2022), Algorithm 2";
        }

        @Override
        public Perturbation create(Settings settings, Components components) {
            requireNonNull(settings, "settings is null");
            requireNonNull(components, "components is null");
            boolean detach = settings.getBoolean("detach");
            double logitAdjustment = settings.getDouble("logit-adjustment", 0, Double.POSITIVE_INFINITY);
            if (Double.isInfinite(logitAdjustment)) {
                throw settings.invalid("logit-adjustment", "must be finite");
            }
            Settings splitSettings = settings.getSettings("split");
            Settings boundSettings = settings.getSettings("bound");
            Settings optimizerSettings = settings.getSettings("optimizer");
            SplitStrategy split = components.splitStrategy(splitSettings);
            BoundStrategy bound = components.boundStrategy(boundSettings);
            Optimizer optimizer = components.optimizer(optimizerSettings);
            if (bound instanceof VariedBalancedBound && !split.dependsOnScores()) {
                throw boundSettings.invalid("type", "varied-balanced (Eq. 13) needs a score-based split such"
                        + " as mean, whose threshold tau is a class score; " + typeOf(splitSettings, "split")
                        + " is not; use bound.type = fixed or varied-longtail, or split.type = mean");
            }
            if (!detach && !(optimizer instanceof DifferentiableOptimizer)) {
                throw settings.invalid("detach", "false needs an inner solver that can differentiate"
                        + " through its loop, and " + typeOf(optimizerSettings, "optimizer")
                        + " cannot; set detach = true or optimizer.type = pgd");
            }
            if (bound instanceof FixedBound fixed && optimizer instanceof PgdOptimizer pgd) {
                // ε and α are both known now: a step count beyond the solver's limit fails here, not at the first batch.
                PgdOptimizer.steps(fixed.epsilon(), pgd.alpha());
            }
            return new LplPerturbation(split, bound, optimizer, detach, logitAdjustment);
        }

        private static String typeOf(Settings settings, String what) {
            return settings.has("type") ? what + ".type = " + settings.getString("type") : "this " + what;
        }
    }
}
