package dev.lpl.models.layers;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The bottleneck residual block of He, Zhang, Ren and Sun, "Deep Residual Learning for Image
 * Recognition", CVPR 2016 (§4.1, Fig. 5), in torchvision's layout ({@code
 * torchvision.models.resnet.Bottleneck}, "ResNet v1.5": the stride sits on the 3×3 convolution):
 * {@code relu(bn3(conv1x1(relu(bn2(conv3x3_s(relu(bn1(conv1x1(x)))))))) + shortcut(x))}, with
 * {@code width} channels inside and {@code 4·width} out.
 *
 * <p>The shortcut is the identity when the block keeps the shape, else a strided 1×1 convolution
 * and batch norm (torchvision's {@code downsample}). Child names follow torchvision ({@code conv1},
 * {@code bn1}, ..., {@code downsample}).
 */
public final class Bottleneck extends AbstractBlock {

    /** The ratio of a block's output channels to its inner width. */
    public static final int EXPANSION = 4;

    private static final byte VERSION = 1;

    private final Block conv1;
    private final Block bn1;
    private final Block conv2;
    private final Block bn2;
    private final Block conv3;
    private final Block bn3;
    private final Block downsample;

    /**
     * Creates a block.
     *
     * @param inChannels input channels
     * @param width the inner channels; the block outputs {@code 4·width}
     * @param stride the stride of the 3×3 convolution (and of the projection shortcut)
     */
    public Bottleneck(int inChannels, int width, int stride) {
        super(VERSION);
        Convolutions.positive(inChannels, "inChannels");
        Convolutions.positive(width, "width");
        Convolutions.positive(stride, "stride");
        int out = width * EXPANSION;
        conv1 = addChildBlock("conv1", Convolutions.conv1x1(width, 1));
        bn1 = addChildBlock("bn1", Convolutions.batchNorm());
        conv2 = addChildBlock("conv2", Convolutions.conv3x3(width, stride));
        bn2 = addChildBlock("bn2", Convolutions.batchNorm());
        conv3 = addChildBlock("conv3", Convolutions.conv1x1(out, 1));
        bn3 = addChildBlock("bn3", Convolutions.batchNorm());
        downsample = stride == 1 && inChannels == out
                ? null
                : addChildBlock("downsample", new SequentialBlock()
                        .add(Convolutions.conv1x1(out, stride))
                        .add(Convolutions.batchNorm()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        requireNonNull(inputs, "inputs is null");
        NDList out = bn1.forward(parameterStore, conv1.forward(parameterStore, inputs, training, params), training, params);
        out = new NDList(Activation.relu(out.singletonOrThrow()));
        out = bn2.forward(parameterStore, conv2.forward(parameterStore, out, training, params), training, params);
        out = new NDList(Activation.relu(out.singletonOrThrow()));
        out = bn3.forward(parameterStore, conv3.forward(parameterStore, out, training, params), training, params);
        NDArray identity = downsample == null
                ? inputs.singletonOrThrow()
                : downsample.forward(parameterStore, inputs, training, params).singletonOrThrow();
        return new NDList(Activation.relu(out.singletonOrThrow().add(identity)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv3.getOutputShapes(conv2.getOutputShapes(conv1.getOutputShapes(inputShapes)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] s1 = conv1.getOutputShapes(inputShapes);
        bn1.initialize(manager, dataType, s1);
        conv2.initialize(manager, dataType, s1);
        Shape[] s2 = conv2.getOutputShapes(s1);
        bn2.initialize(manager, dataType, s2);
        conv3.initialize(manager, dataType, s2);
        bn3.initialize(manager, dataType, conv3.getOutputShapes(s2));
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }
}
