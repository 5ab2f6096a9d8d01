package dev.lpl.models.layers;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Global average pooling (Lin, Chen and Yan, "Network In Network", ICLR 2014), as at the end of
 * the CIFAR ResNet (He et al., CVPR 2016): averages every channel over its spatial positions and
 * maps B×C×H×W to the B×C feature matrix.
 */
public final class GlobalAvgPool extends AbstractBlock {

    private static final byte VERSION = 1;

    /** Creates the pooling block. */
    public GlobalAvgPool() {
        super(VERSION);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = requireNonNull(inputs, "inputs is null").singletonOrThrow();
        return new NDList(Pool.globalAvgPool2d(x));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 4) {
            throw new IllegalArgumentException("global average pooling needs B×C×H×W, got " + in);
        }
        return new Shape[] {new Shape(in.get(0), in.get(1))};
    }
}
