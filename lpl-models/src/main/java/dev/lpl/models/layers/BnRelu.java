package dev.lpl.models.layers;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Batch normalisation (Ioffe and Szegedy, ICML 2015) followed by a ReLU, without a convolution:
 * the final activation of a pre-activation network (He, Zhang, Ren and Sun, "Identity Mappings in
 * Deep Residual Networks", ECCV 2016), applied in the Wide-ResNet after the last group and before
 * global average pooling. Keeps the shape B×C×H×W.
 */
public final class BnRelu extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block norm;

    /** Creates the unit; the channel count is taken from the input when it is initialised. */
    public BnRelu() {
        super(VERSION);
        norm = addChildBlock("bn", Convolutions.batchNorm());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        requireNonNull(inputs, "inputs is null");
        NDList out = norm.forward(parameterStore, inputs, training, params);
        return new NDList(Activation.relu(out.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        norm.initialize(manager, dataType, inputShapes);
    }
}
