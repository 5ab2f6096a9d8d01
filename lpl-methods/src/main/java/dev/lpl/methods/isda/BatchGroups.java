package dev.lpl.methods.isda;

/**
 * The host-side bookkeeping of one batch for {@link ClassCovariance}: which classes are present,
 * where each sample's class sits among them, and the padded gather index and coefficients that let
 * one batched matrix product compute every present class's merge term at once.
 *
 * <p>For the k-th present class {@code c = present[k]} with {@code n = n_b} batch samples, row k of
 * the {@code K×(m+1)} gather index (m the largest batch count) lists the class's samples, then
 * padding, then — in the last column — row {@code B + k} of the augmented matrix {@code [F; μ_old]}
 * (the class's running mean). The coefficients scale those rows, after centring on the batch mean,
 * by {@code √(w/n)} (samples), 0 (padding) and {@code √(w(1−w))} (the running mean), so that
 * {@code ZᵀZ = w·Σ_b + w(1−w)(μ−μ_b)(μ−μ_b)ᵀ}.
 */
final class BatchGroups {

    /** The present classes, ascending (K of them). */
    final long[] present;
    /** For every sample, the index of its class in {@link #present}. */
    final long[] position;
    /** The batch count {@code n_b} of every present class. */
    final int[] counts;
    /** The merge weight {@code w = n_b / (n_b + N_seen)} of every present class. */
    final double[] weights;
    /** The padded width m + 1 (the largest batch count plus the running-mean row). */
    final int width;
    /** Row-major K×(m+1) indices into {@code [F; μ_old]}. */
    final long[] gather;
    /** Row-major K×(m+1) averaging weights: {@code 1/n_b} on the class's samples, 0 elsewhere. */
    final float[] average;
    /** Row-major K×(m+1) scales of the centred rows (see the class comment). */
    final float[] scale;
    /** {@code 1 − w} of every present class. */
    final float[] keep;
    /** {@code w} of every present class, as float32. */
    final float[] take;

    /**
     * Groups a batch.
     *
     * @param labels the B labels, each in {@code [0, C)}
     * @param numClasses C
     * @param seen the number of samples of every class merged so far ({@code N_seen}, length C)
     */
    BatchGroups(int[] labels, int numClasses, long[] seen) {
        int batch = labels.length;
        int[] perClass = new int[numClasses];
        for (int y : labels) {
            if (y < 0 || y >= numClasses) {
                throw new IllegalArgumentException("label " + y + " outside [0, " + numClasses + ")");
            }
            perClass[y]++;
        }
        int[] slot = new int[numClasses];
        int numPresent = 0;
        int largest = 0;
        for (int c = 0; c < numClasses; c++) {
            if (perClass[c] > 0) {
                slot[c] = numPresent++;
                largest = Math.max(largest, perClass[c]);
            } else {
                slot[c] = -1;
            }
        }
        present = new long[numPresent];
        counts = new int[numPresent];
        weights = new double[numPresent];
        keep = new float[numPresent];
        take = new float[numPresent];
        for (int c = 0; c < numClasses; c++) {
            if (slot[c] >= 0) {
                int k = slot[c];
                present[k] = c;
                counts[k] = perClass[c];
                double w = perClass[c] / (perClass[c] + (double) seen[c]);
                weights[k] = w;
                keep[k] = (float) (1 - w);
                take[k] = (float) w;
            }
        }
        width = largest + 1;
        gather = new long[numPresent * width];
        average = new float[numPresent * width];
        scale = new float[numPresent * width];
        position = new long[batch];
        int[] filled = new int[numPresent];
        for (int i = 0; i < batch; i++) {
            int k = slot[labels[i]];
            position[i] = k;
            int at = k * width + filled[k]++;
            gather[at] = i;
            average[at] = 1f / counts[k];
            scale[at] = (float) Math.sqrt(weights[k] / counts[k]);
        }
        for (int k = 0; k < numPresent; k++) {
            for (int j = filled[k]; j < width - 1; j++) {
                gather[k * width + j] = 0; // padding: any valid row, scaled by 0
            }
            int last = k * width + width - 1;
            gather[last] = batch + k;
            scale[last] = (float) Math.sqrt(weights[k] * (1 - weights[k]));
        }
    }

    /**
     * Returns the number of present classes K.
     *
     * @return K
     */
    int numPresent() {
        return present.length;
    }
}
