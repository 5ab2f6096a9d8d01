package dev.lpl.methods.lpl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The engine replay of {@link PgdHostLoop} for {@code detach = false} (LPL, Li et al., AAAI 2022,
 * Algorithm 1 recorded for autograd): per step {@code P = softmax(U)}, {@code G = A·(P − Y)} with
 * the constant {@code A = diag(1/N_c)·Yᵀ}, the normalised direction {@code Ĝ} and {@code U ← U +
 * Y·(coef_k ⊙ Ĝ)}, where {@code coef_k} holds the {@code α·s_c} of the classes the host loop moved at
 * step k and 0 for the others. About a dozen native operations per step; constants are created on
 * the logits' manager and every result belongs to it.
 */
final class PgdReplay {

    private static final float NORM_FLOOR_SQUARED = (float) (PgdHostLoop.NORM_FLOOR * PgdHostLoop.NORM_FLOOR);

    private PgdReplay() {
    }

    /**
     * Replays a recorded host loop.
     *
     * @param logits the B×C float32 logits, attached to the autograd graph
     * @param oneHot the B×C one-hot labels
     * @param labels the B labels
     * @param numClasses C
     * @param normalization the normalisation the host loop used
     * @param trace the recorded host loop
     * @return the B×C perturbed logits, differentiable through the loop
     */
    static NDArray replay(NDArray logits, NDArray oneHot, int[] labels, int numClasses,
            GradientNormalization normalization, PgdHostLoop.Trace trace) {
        if (trace.maxSteps() == 0) {
            return logits;
        }
        int batchSize = labels.length;
        NDManager manager = logits.getManager();
        int[] batchCounts = PgdHostLoop.batchCounts(labels, numClasses);
        float[] classMean = new float[numClasses * batchSize];
        for (int i = 0; i < batchSize; i++) {
            classMean[labels[i] * batchSize + i] = 1f / batchCounts[labels[i]];
        }
        NDArray meanOperator = manager.create(classMean, new Shape(numClasses, batchSize));
        NDArray coefficients = manager.create(trace.coefficients(), new Shape(trace.maxSteps(), numClasses, 1));
        NDArray labelsOneHot = oneHot.getDataType() == DataType.FLOAT32
                ? oneHot
                : oneHot.toType(DataType.FLOAT32, false);
        NDArray u = logits;
        for (int k = 0; k < trace.maxSteps(); k++) {
            NDArray probabilities = u.softmax(1);
            NDArray gradient = meanOperator.matMul(probabilities.sub(labelsOneHot));
            NDArray direction;
            switch (normalization) {
                case ROW:
                    direction = gradient.div(gradient.square().sum(new int[] {1}, true)
                            .maximum(NORM_FLOOR_SQUARED).sqrt());
                    break;
                case COLUMN:
                    direction = gradient.div(gradient.square().sum(new int[] {0})
                            .maximum(NORM_FLOOR_SQUARED).sqrt().reshape(numClasses, 1));
                    break;
                default:
                    direction = gradient;
                    break;
            }
            u = u.add(labelsOneHot.matMul(direction.mul(coefficients.get(k))));
        }
        return u;
    }
}
