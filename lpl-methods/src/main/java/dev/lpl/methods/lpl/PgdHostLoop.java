package dev.lpl.methods.lpl;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.perturbation.ClassStatistics;
import dev.lpl.api.perturbation.InnerProblem;
import dev.lpl.api.perturbation.InnerSolution;
import dev.lpl.api.perturbation.Split;
import dev.lpl.api.perturbation.SplitStrategy;
import java.util.Arrays;

/**
 * The host loop of {@link PgdOptimizer} (LPL, Li et al., AAAI 2022, Algorithm 1 with Eqs. 11–12):
 * flat loops in double precision over the row-major B×C logits, with a few buffers allocated once
 * per call. Per step it computes the softmax of the samples still needed, the class sums of the
 * probabilities (whose diagonal gives the class scores), the class-mean gradients, their norms and
 * the masked update; it never loops over classes or samples with native calls.
 */
final class PgdHostLoop {

    /** Gradient norms at or below this value give a zero direction. */
    static final double NORM_FLOOR = 1e-12;

    private final double alpha;
    private final GradientNormalization normalization;

    /**
     * Creates the loop.
     *
     * @param alpha α, positive and finite
     * @param normalization the normalisation of the class-mean gradients
     */
    PgdHostLoop(double alpha, GradientNormalization normalization) {
        this.alpha = alpha;
        this.normalization = requireNonNull(normalization, "normalization is null");
    }

    /**
     * The result of a run: the solution and, when recorded, the coefficient {@code α·s_c} of every
     * class that moved at step k (0 for the others), row-major {@code maxSteps × C}.
     */
    static final class Trace {
        private final InnerSolution solution;
        private final float[] coefficients;
        private final int maxSteps;

        private Trace(InnerSolution solution, float[] coefficients, int maxSteps) {
            this.solution = solution;
            this.coefficients = coefficients;
            this.maxSteps = maxSteps;
        }

        InnerSolution solution() {
            return solution;
        }

        float[] coefficients() {
            return coefficients;
        }

        int maxSteps() {
            return maxSteps;
        }
    }

    /**
     * Counts the samples of every class.
     *
     * @param labels the labels
     * @param numClasses C
     * @return {@code N_c}
     */
    static int[] batchCounts(int[] labels, int numClasses) {
        int[] counts = new int[numClasses];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }

    /**
     * Runs the loop.
     *
     * @param problem the batch
     * @param record whether to record the per-step coefficients for a replay
     * @return the solution and, when recorded, the coefficients
     */
    Trace run(InnerProblem problem, boolean record) {
        requireNonNull(problem, "problem is null");
        float[] logits = problem.logits();
        int[] labels = problem.labels();
        long[] classCounts = problem.classCounts();
        int batchSize = problem.batchSize();
        int numClasses = problem.numClasses();
        SplitStrategy splitStrategy = problem.splitStrategy();
        boolean rescore = splitStrategy.dependsOnScores();

        int[] batchCounts = batchCounts(labels, numClasses);
        double[] inverseCounts = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            inverseCounts[c] = batchCounts[c] == 0 ? 0 : 1.0 / batchCounts[c];
        }
        double[] u = new double[batchSize * numClasses];
        for (int n = 0; n < u.length; n++) {
            u[n] = logits[n];
        }
        double[] probabilitySums = new double[numClasses * numClasses];
        double[] row = new double[numClasses];
        double[] scores = new double[numClasses];

        accumulate(u, labels, numClasses, probabilitySums, row, null, 0);
        ClassStatistics initialStatistics =
                statistics(probabilitySums, inverseCounts, batchCounts, classCounts, scores);
        Split initialSplit = requireNonNull(
                splitStrategy.split(initialStatistics), "split strategy returned null");
        int[] signs = checkedSigns(initialSplit, numClasses);
        double[] bounds = requireNonNull(problem.boundStrategy().bounds(initialStatistics, initialSplit),
                "bound strategy returned null").clone();
        if (bounds.length != numClasses) {
            throw new IllegalStateException("bound strategy " + problem.boundStrategy() + " returned "
                    + bounds.length + " bounds for " + numClasses + " classes");
        }
        int[] steps = new int[numClasses];
        int maxSteps = 0;
        for (int c = 0; c < numClasses; c++) {
            if (batchCounts[c] == 0) {
                continue;
            }
            if (!(bounds[c] >= 0) || Double.isInfinite(bounds[c])) {
                throw new IllegalStateException("bound strategy " + problem.boundStrategy()
                        + " gave epsilon_" + c + " = " + bounds[c]
                        + "; bounds must be finite and >= 0 (are the logits finite?)");
            }
            steps[c] = PgdOptimizer.steps(bounds[c], alpha);
            maxSteps = Math.max(maxSteps, steps[c]);
        }

        double[] gradient = new double[numClasses * numClasses];
        double[] norms = new double[numClasses];
        double[] factors = new double[numClasses];
        double[] delta = new double[numClasses * numClasses];
        float[] coefficients = record ? new float[maxSteps * numClasses] : null;
        // Rows of G that no step needs any more (classes past their step count) are skipped when the
        // norms are per row; their samples are skipped as well unless the split needs every score.
        int[] rowSkip = normalization != GradientNormalization.COLUMN ? steps : null;
        int[] sampleSkip = rescore ? null : rowSkip;
        for (int k = 0; k < maxSteps; k++) {
            if (k > 0) {
                accumulate(u, labels, numClasses, probabilitySums, row, sampleSkip, k);
                if (rescore) {
                    Split split = requireNonNull(splitStrategy.split(statistics(
                            probabilitySums, inverseCounts, batchCounts, classCounts, scores)),
                            "split strategy returned null");
                    signs = checkedSigns(split, numClasses);
                }
            }
            classMeanGradients(probabilitySums, inverseCounts, numClasses, gradient, rowSkip, k);
            norms(gradient, numClasses, norms, rowSkip, k);
            for (int c = 0; c < numClasses; c++) {
                boolean moves = k < steps[c] && norms[c] > NORM_FLOOR;
                double factor = 0;
                if (moves) {
                    factor = alpha * signs[c];
                    if (normalization != GradientNormalization.NONE) {
                        factor /= norms[c];
                    }
                }
                factors[c] = factor;
                if (record) {
                    coefficients[k * numClasses + c] = moves ? (float) (alpha * signs[c]) : 0f;
                }
            }
            // gradient becomes the step matrix: row c = α·s_c·ĝ_c (0 for classes that do not move)
            for (int c = 0; c < numClasses; c++) {
                double factor = factors[c];
                if (factor == 0) {
                    continue;
                }
                int base = c * numClasses;
                for (int j = 0; j < numClasses; j++) {
                    double step = gradient[base + j] * factor;
                    gradient[base + j] = step;
                    delta[base + j] += step;
                }
            }
            for (int i = 0; i < labels.length; i++) {
                int y = labels[i];
                if (factors[y] == 0) {
                    continue;
                }
                int sampleBase = i * numClasses;
                int stepBase = y * numClasses;
                for (int j = 0; j < numClasses; j++) {
                    u[sampleBase + j] += gradient[stepBase + j];
                }
            }
        }
        float[] deltaOut = new float[delta.length];
        for (int n = 0; n < delta.length; n++) {
            deltaOut[n] = (float) delta[n];
        }
        return new Trace(new InnerSolution(deltaOut, initialSplit, bounds, steps), coefficients, maxSteps);
    }

    private static int[] checkedSigns(Split split, int numClasses) {
        int[] signs = split.signs();
        if (signs.length != numClasses) {
            throw new IllegalStateException("split strategy returned " + signs.length + " signs for "
                    + numClasses + " classes");
        }
        return signs;
    }

    /**
     * Sets row c of {@code sums} to {@code Σ_{i∈S_c} softmax(u_i)}, skipping the classes (rows and
     * samples) with {@code steps[c] <= k} when {@code steps} is given.
     */
    private static void accumulate(double[] u, int[] labels, int numClasses, double[] sums, double[] row,
            int[] steps, int k) {
        if (steps == null) {
            Arrays.fill(sums, 0);
        } else {
            for (int c = 0; c < numClasses; c++) {
                if (k < steps[c]) {
                    Arrays.fill(sums, c * numClasses, (c + 1) * numClasses, 0);
                }
            }
        }
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            if (steps != null && k >= steps[y]) {
                continue;
            }
            int base = i * numClasses;
            double max = u[base];
            for (int j = 1; j < numClasses; j++) {
                max = Math.max(max, u[base + j]);
            }
            double total = 0;
            for (int j = 0; j < numClasses; j++) {
                double e = Math.exp(u[base + j] - max);
                row[j] = e;
                total += e;
            }
            double inverse = 1.0 / total;
            int sumBase = y * numClasses;
            for (int j = 0; j < numClasses; j++) {
                sums[sumBase + j] += row[j] * inverse;
            }
        }
    }

    private static ClassStatistics statistics(double[] sums, double[] inverseCounts, int[] batchCounts,
            long[] classCounts, double[] scores) {
        int numClasses = batchCounts.length;
        for (int c = 0; c < numClasses; c++) {
            scores[c] = batchCounts[c] == 0 ? Double.NaN : sums[c * numClasses + c] * inverseCounts[c];
        }
        return new ClassStatistics(scores, batchCounts, classCounts);
    }

    /**
     * Sets row c of {@code gradient} to {@code g_c = p̄_c − e_c} (0 for absent classes), skipping the
     * rows with {@code steps[c] <= k} when {@code steps} is given.
     */
    private static void classMeanGradients(double[] sums, double[] inverseCounts, int numClasses,
            double[] gradient, int[] steps, int k) {
        for (int c = 0; c < numClasses; c++) {
            if (steps != null && k >= steps[c]) {
                continue;
            }
            int base = c * numClasses;
            double inverse = inverseCounts[c];
            if (inverse == 0) {
                Arrays.fill(gradient, base, base + numClasses, 0);
                continue;
            }
            for (int j = 0; j < numClasses; j++) {
                gradient[base + j] = sums[base + j] * inverse;
            }
            gradient[base + c] -= 1;
        }
    }

    /**
     * Sets {@code norms[c]} to the norm that divides row c (1 for {@code none}); with per-row norms,
     * the rows with {@code steps[c] <= k} are skipped when {@code steps} is given.
     */
    private void norms(double[] gradient, int numClasses, double[] norms, int[] steps, int k) {
        switch (normalization) {
            case ROW:
                for (int c = 0; c < numClasses; c++) {
                    if (steps != null && k >= steps[c]) {
                        continue;
                    }
                    int base = c * numClasses;
                    double squares = 0;
                    for (int j = 0; j < numClasses; j++) {
                        double g = gradient[base + j];
                        squares += g * g;
                    }
                    norms[c] = Math.sqrt(squares);
                }
                break;
            case COLUMN:
                Arrays.fill(norms, 0);
                for (int r = 0; r < numClasses; r++) {
                    int base = r * numClasses;
                    for (int j = 0; j < numClasses; j++) {
                        double g = gradient[base + j];
                        norms[j] += g * g;
                    }
                }
                for (int c = 0; c < numClasses; c++) {
                    norms[c] = Math.sqrt(norms[c]);
                }
                break;
            default:
                Arrays.fill(norms, 1);
                break;
        }
    }
}
