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
 */
public final class LplPerturbation implements Perturbation {

    private final SplitStrategy splitStrategy;
    private final BoundStrategy boundStrategy;
    private final Optimizer optimizer;
    private final boolean detach;

    /**
     * Creates the method.
     *
     * @param splitStrategy the category split
     * @param boundStrategy the per-class bound
     * @param optimizer the inner solver; a {@link DifferentiableOptimizer} when {@code detach} is
     *     false
     * @param detach whether δ is a constant (true) or differentiated through the inner loop
     */
    public LplPerturbation(
            SplitStrategy splitStrategy, BoundStrategy boundStrategy, Optimizer optimizer, boolean detach) {
        this.splitStrategy = requireNonNull(splitStrategy, "splitStrategy is null");
        this.boundStrategy = requireNonNull(boundStrategy, "boundStrategy is null");
        this.optimizer = requireNonNull(optimizer, "optimizer is null");
        if (!detach && !(optimizer instanceof DifferentiableOptimizer)) {
            throw new IllegalArgumentException("detach = false needs a DifferentiableOptimizer: " + optimizer);
        }
        this.detach = detach;
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
     * Solves the inner problem of a batch on host copies, without touching the engine: the split,
     * bounds, step counts and {@code δ} that {@link #perturb} applies.
     *
     * @param logits row-major B×C logits
     * @param labels B labels in [0, C)
     * @param classCounts the training counts {@code n_c}, length C
     * @return the solution
     */
    public InnerSolution solve(float[] logits, int[] labels, long[] classCounts) {
        return optimizer.solve(new InnerProblem(logits, labels, classCounts, splitStrategy, boundStrategy));
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
        int[] hostLabels = hostLabels(labels);
        InnerProblem problem = new InnerProblem(
                logits.toFloatArray(), hostLabels, view.classCounts(), splitStrategy, boundStrategy);
        InnerSolution solution = optimizer.solve(problem);
        float[] delta = solution.delta();
        if (detach) {
            float[] shift = new float[batchSize * numClasses];
            for (int i = 0; i < batchSize; i++) {
                System.arraycopy(delta, hostLabels[i] * numClasses, shift, i * numClasses, numClasses);
            }
            return logits.add(view.manager().create(shift, shape));
        }
        float[] oneHot = new float[batchSize * numClasses];
        for (int i = 0; i < batchSize; i++) {
            oneHot[i * numClasses + hostLabels[i]] = 1f;
        }
        return ((DifferentiableOptimizer) optimizer)
                .solveDifferentiable(logits, view.manager().create(oneHot, shape), problem, solution);
    }

    private static int[] hostLabels(NDArray labels) {
        DataType type = labels.getDataType();
        if (type == DataType.INT32) {
            return labels.toIntArray();
        }
        if (type == DataType.INT64) {
            long[] values = labels.toLongArray();
            int[] result = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                if (values[i] < 0 || values[i] > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("label " + values[i] + " is out of range");
                }
                result[i] = (int) values[i];
            }
            return result;
        }
        throw new IllegalArgumentException("labels must be int32 or int64: " + type);
    }

    @Override
    public String toString() {
        return "LplPerturbation{split=" + splitStrategy + ", bound=" + boundStrategy + ", optimizer="
                + optimizer + ", detach=" + detach + "}";
    }

    /**
     * The {@code lpl} factory. Reads {@code detach} and builds its parts from the blocks {@code
     * split}, {@code bound} and {@code optimizer} through {@link Components}.
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
            return new LplPerturbation(split, bound, optimizer, detach);
        }

        private static String typeOf(Settings settings, String what) {
            return settings.has("type") ? what + ".type = " + settings.getString("type") : "this " + what;
        }
    }
}
