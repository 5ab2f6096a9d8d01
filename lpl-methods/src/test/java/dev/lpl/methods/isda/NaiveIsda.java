package dev.lpl.methods.isda;

import java.util.ArrayList;
import java.util.List;

/**
 * An independent double-precision ISDA reference written from the formulas, with no code shared
 * with the implementation: it keeps every feature it has seen per class and computes each class's
 * mean and biased covariance from all of them (the count-weighted merge of the reference code is
 * exactly this pooled estimate), and δ with loops over samples, classes and feature pairs.
 */
final class NaiveIsda {

    private final int numClasses;
    private final int dimension;
    private final List<List<double[]>> seen = new ArrayList<>();

    NaiveIsda(int numClasses, int dimension) {
        this.numClasses = numClasses;
        this.dimension = dimension;
        for (int c = 0; c < numClasses; c++) {
            seen.add(new ArrayList<>());
        }
    }

    /** Adds a batch (row-major B×D features). */
    void add(float[] features, int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            double[] f = new double[dimension];
            for (int d = 0; d < dimension; d++) {
                f[d] = features[i * dimension + d];
            }
            seen.get(labels[i]).add(f);
        }
    }

    long count(int c) {
        return seen.get(c).size();
    }

    double[] mean(int c) {
        double[] mean = new double[dimension];
        List<double[]> rows = seen.get(c);
        for (double[] f : rows) {
            for (int d = 0; d < dimension; d++) {
                mean[d] += f[d];
            }
        }
        for (int d = 0; d < dimension; d++) {
            mean[d] = rows.isEmpty() ? 0 : mean[d] / rows.size();
        }
        return mean;
    }

    /** The biased covariance of every feature of class c seen so far (zero if none). */
    double[][] covariance(int c) {
        double[][] cov = new double[dimension][dimension];
        List<double[]> rows = seen.get(c);
        if (rows.isEmpty()) {
            return cov;
        }
        double[] mean = mean(c);
        for (double[] f : rows) {
            for (int a = 0; a < dimension; a++) {
                for (int b = 0; b < dimension; b++) {
                    cov[a][b] += (f[a] - mean[a]) * (f[b] - mean[b]);
                }
            }
        }
        for (int a = 0; a < dimension; a++) {
            for (int b = 0; b < dimension; b++) {
                cov[a][b] /= rows.size();
            }
        }
        return cov;
    }

    /** δ_{i,c} = (λ/2)(w_c − w_y)ᵀ Σ_y (w_c − w_y) for a sample of label y, with weight rows w. */
    double delta(double[][] weight, int y, int c, double lambda) {
        double[][] cov = covariance(y);
        double sum = 0;
        for (int a = 0; a < dimension; a++) {
            for (int b = 0; b < dimension; b++) {
                sum += (weight[c][a] - weight[y][a]) * cov[a][b] * (weight[c][b] - weight[y][b]);
            }
        }
        return lambda / 2 * sum;
    }

    /** Row-major B×C perturbed logits u + δ. */
    double[] perturbed(float[] logits, int[] labels, double[][] weight, double lambda) {
        double[] out = new double[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            for (int c = 0; c < numClasses; c++) {
                out[i * numClasses + c] = logits[i * numClasses + c] + delta(weight, labels[i], c, lambda);
            }
        }
        return out;
    }

    /** Mean cross-entropy of the perturbed logits. */
    double loss(float[] logits, int[] labels, double[][] weight, double lambda) {
        double[] z = perturbed(logits, labels, weight, lambda);
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < numClasses; c++) {
                max = Math.max(max, z[i * numClasses + c]);
            }
            double sum = 0;
            for (int c = 0; c < numClasses; c++) {
                sum += Math.exp(z[i * numClasses + c] - max);
            }
            total += max + Math.log(sum) - z[i * numClasses + labels[i]];
        }
        return total / labels.length;
    }
}
