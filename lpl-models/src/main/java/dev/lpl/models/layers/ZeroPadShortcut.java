package dev.lpl.models.layers;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The parameter-free "option A" shortcut of He et al., "Deep Residual Learning for Image
 * Recognition", CVPR 2016 (§3.3, §4.2), as written in LDAM-DRW's {@code resnet_cifar.py}: {@code
 * F.pad(x[:, :, ::s, ::s], (0, 0, 0, 0, p, p))}. It subsamples the input spatially with stride
 * {@code s} and zero-pads the channels from {@code in} to {@code out}, {@code (out − in) / 2} zero
 * channels on each side (for the CIFAR ResNet, {@code planes / 4} on each side). Two tensor
 * operations per call: one strided view and one constant pad.
 */
public final class ZeroPadShortcut extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inChannels;
    private final int outChannels;
    private final int stride;
    private final NDIndex subsample;
    private final Shape padding;

    /**
     * Creates the shortcut.
     *
     * @param inChannels input channels
     * @param outChannels output channels, at least {@code inChannels}
     * @param stride the spatial subsampling stride
     */
    public ZeroPadShortcut(int inChannels, int outChannels, int stride) {
        super(VERSION);
        this.inChannels = Convolutions.positive(inChannels, "inChannels");
        this.outChannels = Convolutions.positive(outChannels, "outChannels");
        this.stride = Convolutions.positive(stride, "stride");
        if (outChannels < inChannels) {
            throw new IllegalArgumentException(
                    "a zero-padding shortcut cannot reduce channels: " + inChannels + " -> "
                            + outChannels);
        }
        int before = (outChannels - inChannels) / 2;
        int after = outChannels - inChannels - before;
        this.subsample = stride == 1 ? null : new NDIndex(":, :, ::" + stride + ", ::" + stride);
        // torch.nn.functional.pad order: last axis first, (before, after) per axis.
        this.padding = new Shape(0, 0, 0, 0, before, after);
    }

    /**
     * Returns the number of zero channels added before the input channels.
     *
     * @return the leading padding
     */
    public int leadingChannels() {
        return (int) padding.get(4);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = requireNonNull(inputs, "inputs is null").singletonOrThrow();
        NDArray sampled = subsample == null ? x : x.get(subsample);
        if (outChannels == inChannels) {
            return new NDList(sampled);
        }
        return new NDList(sampled.pad(padding, 0));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 4 || in.get(1) != inChannels) {
            throw new IllegalArgumentException(
                    "the shortcut expects B×" + inChannels + "×H×W, got " + in);
        }
        long height = (in.get(2) + stride - 1) / stride;
        long width = (in.get(3) + stride - 1) / stride;
        return new Shape[] {new Shape(in.get(0), outChannels, height, width)};
    }
}
