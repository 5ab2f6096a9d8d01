package dev.lpl.core.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.NormalInitializer;

/**
 * The DCGAN-style generator and discriminator pair (Radford, Metz and Chintala, "Unsupervised
 * Representation Learning with Deep Convolutional GANs", ICLR 2016), in the small form of the common
 * CGAN/ACGAN/infoGAN collections (e.g. znxlwm/pytorch-generative-model-collections) that METHODS.md
 * §2b names, with w = {@code gan.width} and s = H/4 × W/4:
 *
 * <pre>
 * G: [z ‖ one-hot(y) ‖ c] → fc(2w·s) → BN → ReLU → reshape 2w×H/4×W/4
 *      → convT(w, 4×4, stride 2, pad 1) → BN → ReLU → convT(channels, 4×4, stride 2, pad 1) → tanh
 *      (convT: see {@link #transposedConvolution})
 * D: x [‖ C label planes, CGAN] → conv(w, 4×4, stride 2, pad 1) → LeakyReLU 0.2
 *      → conv(2w, 4×4, stride 2, pad 1) → BN → LeakyReLU 0.2 → flatten → fc(1 [+ C] [+ codes])
 * </pre>
 *
 * Weights are drawn from N(0, 0.02²) as in DCGAN; biases are zero, BatchNorm scales one.
 */
public final class GanNetworks {

    private static final float SLOPE = 0.2f;
    private static final float INIT_SIGMA = 0.02f;

    private GanNetworks() {}

    /**
     * Builds the generator (not initialised).
     *
     * @param spec the GAN's shape
     * @return G, mapping B×(noise + C + codes) to B×channels×H×W in [−1, 1]
     */
    public static SequentialBlock generator(GanSpec spec) {
        int h = spec.height() / 4;
        int w = spec.width() / 4;
        int wide = 2 * spec.base();
        return new SequentialBlock()
                .add(Linear.builder().setUnits((long) wide * h * w).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(new LambdaBlock(list -> new NDList(list.singletonOrThrow().reshape(-1, wide, h, w)), "reshape"))
                .add(transposedConvolution(spec.base()))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(transposedConvolution(spec.channels()))
                .add(Activation.tanhBlock());
    }

    /**
     * A 4×4 transposed convolution with stride 2 and padding 1 (H×W → 2H×2W), written as the
     * equivalent ordinary convolution: zeros interleaved after every input row and column
     * (2H×2W), padding 2, a 4×4 convolution with stride 1, and the last output row and column
     * dropped. Its kernel is the transposed convolution's, flipped and with input and output
     * channels swapped — the same function class, parameter count and initial distribution. (DJL
     * 0.36's PyTorch engine has no transposed convolution: {@code PtNDArrayEx.deconvolution}
     * throws "Not implemented".) It computes on every interleaved zero, four times the
     * multiplications of a native transposed convolution.
     */
    static SequentialBlock transposedConvolution(int filters) {
        return new SequentialBlock()
                .add(new LambdaBlock(list -> new NDList(interleaveZeros(list.singletonOrThrow())), "interleave"))
                .add(Conv2d.builder().setKernelShape(new Shape(4, 4)).optPadding(new Shape(2, 2)).setFilters(filters)
                        .build())
                .add(new LambdaBlock(list -> {
                    NDArray x = list.singletonOrThrow();
                    long h = x.getShape().get(2) - 1;
                    long w = x.getShape().get(3) - 1;
                    return new NDList(x.get(new NDIndex(":, :, :{}, :{}", h, w)));
                }, "crop"));
    }

    /** B×C×H×W → B×C×2H×2W with x at the even positions and zeros elsewhere. */
    static NDArray interleaveZeros(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDArray columns = x.expandDims(4).concat(x.zerosLike().expandDims(4), 4).reshape(b, c, h, 2 * w);
        return columns.expandDims(3).concat(columns.zerosLike().expandDims(3), 3).reshape(b, c, 2 * h, 2 * w);
    }

    /**
     * Builds the discriminator (not initialised).
     *
     * @param spec the GAN's shape
     * @return D, mapping B×(channels [+ C])×H×W to B×(1 [+ C] [+ codes]) logits and code estimates
     */
    public static SequentialBlock discriminator(GanSpec spec) {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(4, 4)).optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1)).setFilters(spec.base()).build())
                .add(Activation.leakyReluBlock(SLOPE))
                .add(Conv2d.builder().setKernelShape(new Shape(4, 4)).optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1)).setFilters(2 * spec.base()).build())
                .add(BatchNorm.builder().build())
                .add(Activation.leakyReluBlock(SLOPE))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(spec.discriminatorOutput()).build());
    }

    /**
     * Initialises a network built here: weights N(0, 0.02²) from the engine's generator (seeded by
     * the caller), biases zero.
     *
     * @param block G or D
     * @param manager where the parameters live
     * @param inputShape the shape of one input batch
     */
    public static void initialize(Block block, NDManager manager, Shape inputShape) {
        block.setInitializer(new NormalInitializer(INIT_SIGMA), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, inputShape);
    }

    /**
     * Returns the number of parameters of an initialised network (BatchNorm statistics excluded).
     *
     * @param block G or D
     * @return the count of trainable numbers
     */
    public static long trainableParameters(Block block) {
        return block.getParameters().values().stream().filter(Parameter::requiresGradient)
                .mapToLong(p -> p.getArray().size()).sum();
    }
}
