package dev.lpl.core.train;

import ai.djl.ndarray.NDArray;
import dev.lpl.api.objective.LossFunction;

/**
 * Softmax cross-entropy per sample, {@code −log softmax(u_i)_{y_i}}, computed stably with
 * log-softmax: the default loss of every method.
 */
public final class CrossEntropyLoss implements LossFunction {

    /** The loss (stateless). */
    public static final CrossEntropyLoss INSTANCE = new CrossEntropyLoss();

    private CrossEntropyLoss() {}

    @Override
    public NDArray perSample(NDArray logits, NDArray labels) {
        int numClasses = (int) logits.getShape().get(1);
        return logits.logSoftmax(1).mul(labels.oneHot(numClasses)).sum(new int[] {1}).neg();
    }
}
