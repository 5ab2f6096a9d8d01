package dev.lpl.methods.lpl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An independent, deliberately naive reference of LPL's Algorithm 1 for the tests: double precision,
 * explicit loops per class and per sample, nothing shared with the main code. The signs come from a
 * function of the class scores, the bounds are given.
 */
final class NaiveLpl {

    enum Norm { ROW, COLUMN, NONE }

    /** The reference's output. */
    static final class Result {
        final double[][] delta;
        final double[][] perturbed;
        final int[] steps;
        final List<int[]> signsPerStep = new ArrayList<>();

        Result(int numClasses, int batchSize) {
            delta = new double[numClasses][numClasses];
            perturbed = new double[batchSize][];
            steps = new int[numClasses];
        }
    }

    private NaiveLpl() {
    }

    /** Signs of the mean split (Eq. 9) written from the paper: +1 when q_c < mean of present q. */
    static int[] meanSigns(double[] scores, boolean countAbsentAsZero) {
        double total = 0;
        int n = 0;
        for (double q : scores) {
            if (!Double.isNaN(q)) {
                total += q;
                n++;
            }
        }
        double tau = total / (countAbsentAsZero ? scores.length : n);
        int[] signs = new int[scores.length];
        for (int c = 0; c < scores.length; c++) {
            signs[c] = Double.isNaN(scores[c]) ? 1 : (scores[c] < tau ? 1 : -1);
        }
        return signs;
    }

    static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int j = 0; j < logits.length; j++) {
            p[j] = Math.exp(logits[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < logits.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    static double[][] toMatrix(float[] flat, int batchSize, int numClasses) {
        double[][] m = new double[batchSize][numClasses];
        for (int i = 0; i < batchSize; i++) {
            for (int j = 0; j < numClasses; j++) {
                m[i][j] = flat[i * numClasses + j];
            }
        }
        return m;
    }

    /**
     * Runs Algorithm 1 for every class.
     *
     * @param logits B×C
     * @param labels B labels
     * @param numClasses C
     * @param bounds ε_c
     * @param alpha α
     * @param norm the normalisation
     * @param signsOf the split as a function of the class scores (NaN for absent classes)
     * @param reevaluate whether the signs are recomputed at every step
     */
    static Result solve(double[][] logits, int[] labels, int numClasses, double[] bounds, double alpha,
            Norm norm, Function<double[], int[]> signsOf, boolean reevaluate) {
        int batchSize = labels.length;
        Result result = new Result(numClasses, batchSize);
        double[][] u = new double[batchSize][];
        for (int i = 0; i < batchSize; i++) {
            u[i] = logits[i].clone();
        }
        int maxSteps = 0;
        for (int c = 0; c < numClasses; c++) {
            boolean present = false;
            for (int y : labels) {
                present |= y == c;
            }
            result.steps[c] = present ? Math.max(0, (int) Math.floor(bounds[c] / alpha + 1e-9)) : 0;
            maxSteps = Math.max(maxSteps, result.steps[c]);
        }
        int[] signs = null;
        for (int k = 0; k < maxSteps; k++) {
            double[][] p = new double[batchSize][];
            for (int i = 0; i < batchSize; i++) {
                p[i] = softmax(u[i]);
            }
            double[] scores = new double[numClasses];
            double[][] g = new double[numClasses][numClasses];
            for (int c = 0; c < numClasses; c++) {
                int members = 0;
                double score = 0;
                for (int i = 0; i < batchSize; i++) {
                    if (labels[i] != c) {
                        continue;
                    }
                    members++;
                    score += p[i][c];
                    for (int j = 0; j < numClasses; j++) {
                        g[c][j] += p[i][j] - (j == c ? 1 : 0);
                    }
                }
                scores[c] = members == 0 ? Double.NaN : score / members;
                for (int j = 0; j < numClasses; j++) {
                    g[c][j] = members == 0 ? 0 : g[c][j] / members;
                }
            }
            if (signs == null || reevaluate) {
                signs = signsOf.apply(scores);
            }
            result.signsPerStep.add(signs.clone());
            double[][] direction = new double[numClasses][numClasses];
            for (int c = 0; c < numClasses; c++) {
                double length = 0;
                for (int r = 0; r < numClasses; r++) {
                    double v = norm == Norm.ROW ? g[c][r] : g[r][c];
                    length += v * v;
                }
                length = Math.sqrt(length);
                for (int j = 0; j < numClasses; j++) {
                    if (norm == Norm.NONE) {
                        direction[c][j] = g[c][j];
                    } else {
                        direction[c][j] = length > 1e-12 ? g[c][j] / length : 0;
                    }
                }
            }
            for (int c = 0; c < numClasses; c++) {
                if (k >= result.steps[c]) {
                    continue;
                }
                for (int i = 0; i < batchSize; i++) {
                    if (labels[i] == c) {
                        for (int j = 0; j < numClasses; j++) {
                            u[i][j] += alpha * signs[c] * direction[c][j];
                        }
                    }
                }
            }
        }
        for (int i = 0; i < batchSize; i++) {
            result.perturbed[i] = u[i];
        }
        for (int c = 0; c < numClasses; c++) {
            for (int i = 0; i < batchSize; i++) {
                if (labels[i] == c) {
                    for (int j = 0; j < numClasses; j++) {
                        result.delta[c][j] = u[i][j] - logits[i][j];
                    }
                    break;
                }
            }
        }
        return result;
    }

    /** Σ_i CE(softmax(perturbed_i), y_i). */
    static double crossEntropy(double[][] perturbed, int[] labels) {
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            total -= Math.log(softmax(perturbed[i])[labels[i]]);
        }
        return total;
    }
}
