package dev.lpl.methods.lpl;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.DifferentiableOptimizer;
import dev.lpl.api.perturbation.InnerProblem;
import dev.lpl.api.perturbation.InnerSolution;
import dev.lpl.api.perturbation.Optimizer;
import dev.lpl.api.perturbation.OptimizerFactory;
import dev.lpl.api.perturbation.SplitStrategy;
import java.util.Arrays;

/**
 * The PGD-like inner solver of LPL (Li et al., AAAI 2022), Algorithm 1 with the updates of Eqs.
 * 11–12, for all classes at once.
 *
 * <p>Per batch: the class scores and the split of the unperturbed logits give the bounds {@code
 * ε_c} and the step counts {@code K_c = ⌊ε_c/α + 10⁻⁹⌋} (the tolerance absorbs float error such as
 * 0.3/0.1; negative counts are clipped at 0). For {@code k = 0 … max_c K_c − 1}: {@code p =
 * softmax(u^k)}, the class-mean gradient {@code g_c = (1/N_c) Σ_{i∈S_c} (p_i − e_c)}, the direction
 * {@code ĝ_c} ({@link GradientNormalization}; a norm below 10⁻¹² gives {@code ĝ_c = 0}), and every
 * sample of a class with {@code k < K_c} moves {@code u_i ← u_i + α·s_c·ĝ_c}. The signs {@code s_c}
 * come from the split strategy, re-evaluated at every step from the perturbed logits when it {@link
 * SplitStrategy#dependsOnScores() depends on the scores} (Eq. 9). The result is {@code δ_c =
 * u^{K_c} − u^0}; absent classes get {@code δ_c = 0} and {@code K_c = 0}.
 *
 * <p>The loop runs on the host copy of the logits ({@link PgdHostLoop};
 * docs/engineering.md#native-call-overhead: native-call overhead, not arithmetic, decides the cost
 * of this loop). {@link #solveDifferentiable} replays the same steps as engine operations ({@link
 * PgdReplay}) with the signs, masks and step counts the host loop recorded, so the loss can
 * differentiate through the loop ({@code detach = false}).
 */
public final class PgdOptimizer implements DifferentiableOptimizer {

    /** Tolerance added to {@code ε_c/α} before flooring. */
    public static final double STEP_TOLERANCE = 1e-9;

    /** The largest step count accepted for one class, a guard against {@code ε/α} mistakes. */
    public static final int MAX_STEPS = 100_000;

    private final double alpha;
    private final GradientNormalization normalization;
    private final PgdHostLoop hostLoop;

    /**
     * Creates the solver.
     *
     * @param alpha the step size α, positive and finite
     * @param normalization how the class-mean gradients are normalised
     */
    public PgdOptimizer(double alpha, GradientNormalization normalization) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be positive and finite: " + alpha);
        }
        this.alpha = alpha;
        this.normalization = requireNonNull(normalization, "normalization is null");
        this.hostLoop = new PgdHostLoop(alpha, normalization);
    }

    /**
     * Returns the step size.
     *
     * @return α
     */
    public double alpha() {
        return alpha;
    }

    /**
     * Returns the normalisation.
     *
     * @return how gradients are normalised
     */
    public GradientNormalization normalization() {
        return normalization;
    }

    /**
     * Returns the step count of Algorithm 1, {@code K = ⌊ε/α + 10⁻⁹⌋}, clipped at 0.
     *
     * @param bound ε, not NaN
     * @param alpha α, positive and finite
     * @return K
     * @throws LplException when K exceeds {@link #MAX_STEPS}
     */
    public static int steps(double bound, double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be positive and finite: " + alpha);
        }
        if (Double.isNaN(bound)) {
            throw new IllegalArgumentException("bound is NaN");
        }
        double steps = Math.floor(bound / alpha + STEP_TOLERANCE);
        if (steps <= 0) {
            return 0;
        }
        if (steps > MAX_STEPS) {
            throw new LplException("LPL inner solver: bound " + bound + " / alpha " + alpha + " gives "
                    + steps + " steps, more than " + MAX_STEPS
                    + "; lower the bound (method.lpl.bound) or raise alpha (method.lpl.optimizer.pgd.alpha)");
        }
        return (int) steps;
    }

    @Override
    public InnerSolution solve(InnerProblem problem) {
        requireNonNull(problem, "problem is null");
        return hostLoop.run(problem, false).solution();
    }

    /**
     * Replays the host loop of {@link #solve} as engine operations on the attached logits. The
     * signs and masks of every step are those of the host loop, which is run again here to record
     * them (its cost is small next to the replay's native operations).
     *
     * @param logits the B×C float32 logits, attached to the autograd graph
     * @param oneHot the B×C float32 one-hot labels
     * @param problem the same problem on host copies
     * @param solution the host solution of {@code problem}
     * @return the B×C perturbed logits {@code u_i^{K_{y_i}}}, differentiable through the loop
     */
    @Override
    public NDArray solveDifferentiable(
            NDArray logits, NDArray oneHot, InnerProblem problem, InnerSolution solution) {
        requireNonNull(logits, "logits is null");
        requireNonNull(oneHot, "oneHot is null");
        requireNonNull(problem, "problem is null");
        requireNonNull(solution, "solution is null");
        Shape shape = new Shape(problem.batchSize(), problem.numClasses());
        if (!logits.getShape().equals(shape) || !oneHot.getShape().equals(shape)) {
            throw new IllegalArgumentException("logits " + logits.getShape() + " and oneHot "
                    + oneHot.getShape() + " must both be " + shape);
        }
        PgdHostLoop.Trace trace = hostLoop.run(problem, true);
        if (!Arrays.equals(trace.solution().steps(), solution.steps())) {
            throw new IllegalArgumentException("solution was not produced by this solver for this problem:"
                    + " steps " + Arrays.toString(solution.steps()) + " != "
                    + Arrays.toString(trace.solution().steps()));
        }
        return PgdReplay.replay(logits, oneHot, problem.labels(), problem.numClasses(), normalization, trace);
    }

    @Override
    public String toString() {
        return "PgdOptimizer{alpha=" + alpha + ", normalize=" + normalization.configName() + "}";
    }

    /** The {@code pgd} factory; reads {@code alpha} (&gt; 0) and {@code normalize}. */
    public static final class Factory implements OptimizerFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "pgd";
        }

        @Override
        public String description() {
            return "LPL Algorithm 1: PGD-like inner solver, K_c = floor(epsilon_c/alpha) normalised"
                    + " class-gradient steps";
        }

        @Override
        public Optimizer create(Settings settings) {
            requireNonNull(settings, "settings is null");
            double alpha = settings.getDouble("alpha");
            if (!(alpha > 0) || Double.isInfinite(alpha)) {
                throw settings.invalid("alpha", alpha + " is out of range; allowed: (0, Infinity)");
            }
            String normalize = settings.getChoice("normalize", GradientNormalization.configNames());
            return new PgdOptimizer(alpha, GradientNormalization.of(normalize));
        }
    }
}
