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
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The pre-activation basic block of the Wide-ResNet (Zagoruyko and Komodakis, "Wide Residual
 * Networks", BMVC 2016, block type B(3,3) with dropout), in the form of ISDA's {@code
 * networks/wideresnet.py} (Wang et al., NeurIPS 2019):
 *
 * <pre>
 * a   = relu(bn1(x))
 * out = conv3x3(drop(relu(bn2(conv3x3_s(a)))))
 * y   = out + (x            when the shape is kept,
 *             conv1x1_s(a)  otherwise)
 * </pre>
 *
 * <p>The convolutions and the 1×1 projection have no bias, and the projection shortcut takes the
 * <em>pre-activated</em> input {@code a}, not {@code x}, as in the reference code. There is no
 * activation after the addition (the next block, or the network's final {@link BnRelu}, applies
 * it). The dropout between the two convolutions is active in training mode only.
 */
public final class WideBasicBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block bn1;
    private final Block conv1;
    private final Block bn2;
    private final Block dropout;
    private final Block conv2;
    private final Block shortcut;

    /**
     * Creates a block.
     *
     * @param inChannels input channels
     * @param outChannels output channels
     * @param stride the stride of the first convolution and of the projection (1 or 2)
     * @param dropoutRate the dropout probability between the two convolutions, in [0, 1); 0 for
     *     none
     */
    public WideBasicBlock(int inChannels, int outChannels, int stride, float dropoutRate) {
        super(VERSION);
        Convolutions.positive(inChannels, "inChannels");
        Convolutions.positive(outChannels, "outChannels");
        Convolutions.positive(stride, "stride");
        if (!(dropoutRate >= 0f && dropoutRate < 1f)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + dropoutRate);
        }
        bn1 = addChildBlock("bn1", Convolutions.batchNorm());
        conv1 = addChildBlock("conv1", Convolutions.conv3x3(outChannels, stride));
        bn2 = addChildBlock("bn2", Convolutions.batchNorm());
        dropout =
                dropoutRate > 0f
                        ? addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build())
                        : null;
        conv2 = addChildBlock("conv2", Convolutions.conv3x3(outChannels, 1));
        shortcut =
                stride == 1 && inChannels == outChannels
                        ? null
                        : addChildBlock("shortcut", Convolutions.conv1x1(outChannels, stride));
    }

    /**
     * Returns whether the block has a projection shortcut (its shape changes).
     *
     * @return true when the shortcut is a 1×1 convolution, false for the identity
     */
    public boolean hasProjection() {
        return shortcut != null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = requireNonNull(inputs, "inputs is null").singletonOrThrow();
        NDList activated =
                new NDList(
                        Activation.relu(
                                bn1.forward(parameterStore, inputs, training, params)
                                        .singletonOrThrow()));
        NDList out = conv1.forward(parameterStore, activated, training, params);
        out = bn2.forward(parameterStore, out, training, params);
        out = new NDList(Activation.relu(out.singletonOrThrow()));
        if (dropout != null) {
            out = dropout.forward(parameterStore, out, training, params);
        }
        NDArray residual = conv2.forward(parameterStore, out, training, params).singletonOrThrow();
        NDArray identity =
                shortcut == null
                        ? x
                        : shortcut.forward(parameterStore, activated, training, params)
                                .singletonOrThrow();
        return new NDList(residual.add(identity));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv2.getOutputShapes(conv1.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        bn1.initialize(manager, dataType, inputShapes);
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] inner = conv1.getOutputShapes(inputShapes);
        bn2.initialize(manager, dataType, inner);
        if (dropout != null) {
            dropout.initialize(manager, dataType, inner);
        }
        conv2.initialize(manager, dataType, inner);
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
        }
    }
}
