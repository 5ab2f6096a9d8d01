package dev.lpl.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;

/**
 * PyTorch's {@code zero_grad} on given leaves, which DJL's engine-neutral API offers only for every
 * array of the engine at once ({@code GradientCollector.zeroGradients}). A no-op for other engines.
 */
final class LeafGradients {

    private LeafGradients() {}

    /**
     * Sets the gradients of leaves to zero.
     *
     * @param leaves arrays that require a gradient
     */
    static void zero(List<NDArray> leaves) {
        for (NDArray leaf : leaves) {
            if (leaf instanceof PtNDArray array && leaf.hasGradient()) {
                JniUtils.zeroGrad(array);
            }
        }
    }
}
