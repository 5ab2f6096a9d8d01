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
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The basic residual block of He, Zhang, Ren and Sun, "Deep Residual Learning for Image
 * Recognition", CVPR 2016, in its CIFAR form (LDAM-DRW's {@code resnet_cifar.py}, ISDA's {@code
 * resnet.py}): {@code relu(bn(conv3x3(drop(relu(bn(conv3x3_s(x)))))) + shortcut(x))}.
 *
 * <p>When the block keeps the shape (stride 1, same channels) the shortcut is the identity;
 * otherwise it is either option A, a parameter-free {@link ZeroPadShortcut}, or option B, a 1×1
 * convolution with stride s followed by batch norm. The optional dropout between the two
 * convolutions is the ISDA + Dropout variant (Wang et al., "Implicit Semantic Data Augmentation for
 * Deep Networks", NeurIPS 2019).
 *
 * <p>With a squeeze-and-excitation reduction r &gt; 0 the block is the SE-ResNet block of Hu, Shen
 * and Sun ("Squeeze-and-Excitation Networks", CVPR 2018) as in ISDA's {@code
 * networks/se_resnet.py}: a {@link SqueezeExcitation} module rescales the channels of {@code
 * bn2(conv2(...))} before the residual addition, {@code relu(se(bn(conv3x3(...))) + shortcut(x))}.
 */
public final class BasicBlock extends AbstractBlock {

    /** How a block that changes the tensor shape forms its shortcut (He et al. 2016, §3.3). */
    public enum Shortcut {
        /** Option A: spatial subsampling and zero-padded channels, no parameters. */
        A,
        /** Option B: a projection by a strided 1×1 convolution and batch norm. */
        B
    }

    private static final byte VERSION = 1;

    private final Block conv1;
    private final Block bn1;
    private final Block dropout;
    private final Block conv2;
    private final Block bn2;
    private final Block excitation;
    private final Block shortcut;

    /**
     * Creates a block.
     *
     * @param inChannels input channels
     * @param outChannels output channels (the block's "planes")
     * @param stride the stride of the first convolution (1 or 2 in the CIFAR ResNet)
     * @param shortcutType the shortcut used when the shape changes
     * @param dropoutRate the dropout probability between the two convolutions, in [0, 1); 0 for
     *     none
     */
    public BasicBlock(
            int inChannels, int outChannels, int stride, Shortcut shortcutType, float dropoutRate) {
        this(inChannels, outChannels, stride, shortcutType, dropoutRate, 0);
    }

    /**
     * Creates a block, with a squeeze-and-excitation module when {@code seReduction > 0}.
     *
     * @param inChannels input channels
     * @param outChannels output channels (the block's "planes")
     * @param stride the stride of the first convolution (1 or 2 in the CIFAR ResNet)
     * @param shortcutType the shortcut used when the shape changes
     * @param dropoutRate the dropout probability between the two convolutions, in [0, 1); 0 for
     *     none
     * @param seReduction the reduction ratio r of the squeeze-and-excitation module, with {@code
     *     outChannels / r >= 1}; 0 for none
     */
    public BasicBlock(
            int inChannels,
            int outChannels,
            int stride,
            Shortcut shortcutType,
            float dropoutRate,
            int seReduction) {
        super(VERSION);
        if (seReduction < 0) {
            throw new IllegalArgumentException(
                    "seReduction must be >= 0 (0 = none), got " + seReduction);
        }
        Convolutions.positive(inChannels, "inChannels");
        Convolutions.positive(outChannels, "outChannels");
        Convolutions.positive(stride, "stride");
        requireNonNull(shortcutType, "shortcutType is null");
        if (!(dropoutRate >= 0f && dropoutRate < 1f)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + dropoutRate);
        }
        conv1 = addChildBlock("conv1", Convolutions.conv3x3(outChannels, stride));
        bn1 = addChildBlock("bn1", Convolutions.batchNorm());
        dropout =
                dropoutRate > 0f
                        ? addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build())
                        : null;
        conv2 = addChildBlock("conv2", Convolutions.conv3x3(outChannels, 1));
        bn2 = addChildBlock("bn2", Convolutions.batchNorm());
        excitation =
                seReduction > 0
                        ? addChildBlock("se", new SqueezeExcitation(outChannels, seReduction))
                        : null;
        if (stride == 1 && inChannels == outChannels) {
            shortcut = null;
        } else if (shortcutType == Shortcut.A) {
            shortcut =
                    addChildBlock("shortcut", new ZeroPadShortcut(inChannels, outChannels, stride));
        } else {
            shortcut =
                    addChildBlock(
                            "shortcut",
                            new SequentialBlock()
                                    .add(Convolutions.conv1x1(outChannels, stride))
                                    .add(Convolutions.batchNorm()));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        requireNonNull(inputs, "inputs is null");
        NDList out = conv1.forward(parameterStore, inputs, training, params);
        out = bn1.forward(parameterStore, out, training, params);
        out = new NDList(Activation.relu(out.singletonOrThrow()));
        if (dropout != null) {
            out = dropout.forward(parameterStore, out, training, params);
        }
        out = conv2.forward(parameterStore, out, training, params);
        out = bn2.forward(parameterStore, out, training, params);
        if (excitation != null) {
            out = excitation.forward(parameterStore, out, training, params);
        }
        NDArray residual = out.singletonOrThrow();
        NDArray identity =
                shortcut == null
                        ? inputs.singletonOrThrow()
                        : shortcut.forward(parameterStore, inputs, training, params)
                                .singletonOrThrow();
        return new NDList(Activation.relu(residual.add(identity)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv2.getOutputShapes(conv1.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] inner = conv1.getOutputShapes(inputShapes);
        bn1.initialize(manager, dataType, inner);
        if (dropout != null) {
            dropout.initialize(manager, dataType, inner);
        }
        conv2.initialize(manager, dataType, inner);
        Shape[] outer = conv2.getOutputShapes(inner);
        bn2.initialize(manager, dataType, outer);
        if (excitation != null) {
            excitation.initialize(manager, dataType, outer);
        }
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
        }
    }
}
