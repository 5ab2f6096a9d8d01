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
 * A 3×3 convolution (padding 1, no bias), batch normalisation (Ioffe and Szegedy, ICML 2015) and a
 * ReLU: the stem of the CIFAR ResNet (He et al., "Deep Residual Learning for Image Recognition",
 * CVPR 2016, §4.2) and the unit of the small CNN. Maps B×C×H×W to B×F×⌈H/s⌉×⌈W/s⌉.
 */
public final class ConvBnRelu extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block conv;
    private final Block norm;

    /**
     * Creates the unit.
     *
     * @param filters output channels F
     * @param stride the stride s of the convolution
     */
    public ConvBnRelu(int filters, int stride) {
        super(VERSION);
        Convolutions.positive(filters, "filters");
        Convolutions.positive(stride, "stride");
        conv = addChildBlock("conv", Convolutions.conv3x3(filters, stride));
        norm = addChildBlock("bn", Convolutions.batchNorm());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        requireNonNull(inputs, "inputs is null");
        NDList out = conv.forward(parameterStore, inputs, training, params);
        out = norm.forward(parameterStore, out, training, params);
        return new NDList(Activation.relu(out.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        norm.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }
}
