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
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The squeeze-and-excitation module of Hu, Shen and Sun, "Squeeze-and-Excitation Networks", CVPR
 * 2018, as in ISDA's {@code networks/se_module.py} ({@code SELayer}; Wang et al., NeurIPS 2019):
 *
 * <pre>
 * s = sigmoid(W2 · relu(W1 · avgpool(x)))     W1: (C/r)×C, W2: C×(C/r), no biases
 * y = x · s                                    (channel c of every image scaled by s_c)
 * </pre>
 *
 * <p>It maps B×C×H×W to the same shape. The hidden width is {@code C / r} rounded down (PyTorch's
 * {@code channel // reduction}), which must be at least 1: with r = 16, the 16, 32 and 64 channels
 * of the CIFAR ResNet give 1, 2 and 4 hidden units, so a module adds {@code 2·C·⌊C/r⌋} parameters
 * (32, 128 and 512). The two weights are {@link ai.djl.nn.Parameter.Type#WEIGHT} parameters, so the
 * framework's Kaiming-normal initialiser applies to them. Five tensor operations per call besides
 * the two matrix products.
 */
public final class SqueezeExcitation extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int hidden;
    private final Block squeeze;
    private final Block excite;

    /**
     * Creates the module.
     *
     * @param channels the channel count C of the input
     * @param reduction the reduction ratio r; {@code C / r} must be at least 1
     */
    public SqueezeExcitation(int channels, int reduction) {
        super(VERSION);
        this.channels = Convolutions.positive(channels, "channels");
        Convolutions.positive(reduction, "reduction");
        this.hidden = channels / reduction;
        if (hidden < 1) {
            throw new IllegalArgumentException(
                    "squeeze-and-excitation of " + channels + " channels with reduction "
                            + reduction + " has no hidden unit; use a reduction <= " + channels);
        }
        squeeze = addChildBlock("fc1", Linear.builder().setUnits(hidden).optBias(false).build());
        excite = addChildBlock("fc2", Linear.builder().setUnits(channels).optBias(false).build());
    }

    /**
     * Returns the hidden width.
     *
     * @return {@code ⌊C / r⌋}
     */
    public int hiddenUnits() {
        return hidden;
    }

    /**
     * Returns the first (squeezing) layer, {@code W1} of shape (C/r)×C.
     *
     * @return the layer
     */
    public Block squeeze() {
        return squeeze;
    }

    /**
     * Returns the second (exciting) layer, {@code W2} of shape C×(C/r).
     *
     * @return the layer
     */
    public Block excite() {
        return excite;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = requireNonNull(inputs, "inputs is null").singletonOrThrow();
        NDList pooled = new NDList(Pool.globalAvgPool2d(x));
        NDArray h =
                Activation.relu(
                        squeeze.forward(parameterStore, pooled, training, params)
                                .singletonOrThrow());
        NDArray s =
                Activation.sigmoid(
                        excite.forward(parameterStore, new NDList(h), training, params)
                                .singletonOrThrow());
        return new NDList(x.mul(s.reshape(x.getShape().get(0), channels, 1, 1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 4 || in.get(1) != channels) {
            throw new IllegalArgumentException(
                    "squeeze-and-excitation expects B×" + channels + "×H×W, got " + in);
        }
        return new Shape[] {in};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        squeeze.initialize(manager, dataType, new Shape(batch, channels));
        excite.initialize(manager, dataType, new Shape(batch, hidden));
    }
}
