package dev.lpl.models;

import static java.util.Objects.requireNonNull;

import ai.djl.nn.SequentialBlock;
import dev.lpl.api.Settings;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.ModelFactory;
import dev.lpl.api.model.ModelSpec;
import dev.lpl.models.layers.BnRelu;
import dev.lpl.models.layers.Convolutions;
import dev.lpl.models.layers.GlobalAvgPool;
import dev.lpl.models.layers.WideBasicBlock;

/**
 * {@code wrn-28-10}, {@code wrn-16-8}: the pre-activation Wide-ResNet of Zagoruyko and Komodakis,
 * "Wide Residual Networks", BMVC 2016, as written in ISDA's {@code networks/wideresnet.py} (Wang
 * et al., NeurIPS 2019), the network of the balanced-CIFAR rows of ISDA and LPL (Li et al., AAAI
 * 2022).
 *
 * <p>WRN-d-k, n = (d − 4)/6 blocks per group: a 3×3 convolution with 16 filters (no batch norm
 * or ReLU after it: the blocks pre-activate); three groups of n {@link WideBasicBlock}s
 * (BN-ReLU-conv3×3, dropout, BN-ReLU-conv3×3) with 16k, 32k and 64k channels and strides 1, 2, 2, a
 * bias-free 1×1 convolution on the pre-activated input as the shortcut of the first block of each
 * group; a final batch norm and ReLU; global average pooling to D = 64k features; a linear or
 * cosine head. No convolution has a bias; the only biases are the batch norms' β and the linear
 * head's. WRN-28-10: n = 4, widths 160/320/640, D = 640; WRN-16-8: n = 2, widths 128/256/512,
 * D = 512.
 *
 * <p>Trainable parameters with a linear head (BN running statistics are buffers and not counted),
 * C = 10 / 100, as {@code docs/methods.md#models} lists them: WRN-28-10 36,479,194 / 36,536,884; WRN-16-8
 * 10,961,370 / 11,007,540. This exact variant — bias-free convolutions and shortcuts, no batch norm
 * on the shortcut, one batch norm per convolution input plus the final one — is the one that gives
 * these counts.
 *
 * <p>Option ({@code lpl.model.wrn-<d>-<k>}): {@code dropout}, the dropout probability between the
 * two convolutions of every block, in [0, 1); default 0.3 for both (the WRN paper's value for
 * CIFAR and the ISDA/LPL WRN-28-10 recipe, {@code docs/methods.md#training-recipes}). All channel
 * counts are multiples of 16, so the oneDNN NaN-gradient issue noted at {@link SmallCnnFactory}
 * does not arise. WRN-28-10's forward pass takes 5.24 billion multiply-adds per 32×32 image
 * (WRN-16-8: 1.55 billion; ResNet-32: 0.069 billion): it is meant for a GPU.
 */
public final class WideResNetFactory implements ModelFactory {

    private static final int STEM_CHANNELS = 16;
    private static final int GROUPS = 3;

    private final int depth;
    private final int widenFactor;
    private final int blocksPerGroup;

    /**
     * Creates the factory of WRN-{@code depth}-{@code widenFactor}, named {@code
     * wrn-<depth>-<widenFactor>}; its defaults must be in a {@code reference.conf} under {@code
     * lpl.model.wrn-<depth>-<widenFactor>}.
     *
     * @param depth 6n + 4 for some n ≥ 1 (10, 16, 22, 28, 40, ...)
     * @param widenFactor the widening factor k ≥ 1
     */
    public WideResNetFactory(int depth, int widenFactor) {
        if (depth < 10 || (depth - 4) % 6 != 0) {
            throw new IllegalArgumentException("a Wide-ResNet has depth 6n + 4, got " + depth);
        }
        if (widenFactor < 1) {
            throw new IllegalArgumentException(
                    "the widening factor must be positive, got " + widenFactor);
        }
        this.depth = depth;
        this.widenFactor = widenFactor;
        this.blocksPerGroup = (depth - 4) / 6;
    }

    /**
     * Returns the WRN-28-10 factory (n = 4, k = 10).
     *
     * @return the factory named {@code wrn-28-10}
     */
    public static WideResNetFactory wrn28x10() {
        return new WideResNetFactory(28, 10);
    }

    /**
     * Returns the WRN-16-8 factory (n = 2, k = 8).
     *
     * @return the factory named {@code wrn-16-8}
     */
    public static WideResNetFactory wrn16x8() {
        return new WideResNetFactory(16, 8);
    }

    /**
     * Returns the depth.
     *
     * @return 6n + 4
     */
    public int depth() {
        return depth;
    }

    /**
     * Returns the widening factor.
     *
     * @return k
     */
    public int widenFactor() {
        return widenFactor;
    }

    /**
     * Returns the feature dimension D, the channels of the last group.
     *
     * @return 64k
     */
    public int featureDimension() {
        return STEM_CHANNELS * 4 * widenFactor;
    }

    @Override
    public String name() {
        return "wrn-" + depth + "-" + widenFactor;
    }

    @Override
    public String description() {
        return "Wide-ResNet-" + depth + "-" + widenFactor + " (Zagoruyko & Komodakis 2016; ISDA"
                + " variant), pre-activation, widths " + 16 * widenFactor + "/" + 32 * widenFactor
                + "/" + 64 * widenFactor + ", D = " + featureDimension() + "; option dropout";
    }

    @Override
    public ClassifierBlock create(Settings settings, ModelSpec spec) {
        requireNonNull(settings, "settings is null");
        requireNonNull(spec, "spec is null");
        float dropout = ModelOptions.dropout(settings);
        SequentialBlock features = new SequentialBlock();
        features.add(Convolutions.conv3x3(STEM_CHANNELS, 1));
        int channels = STEM_CHANNELS;
        for (int group = 0; group < GROUPS; group++) {
            int width = (STEM_CHANNELS << group) * widenFactor;
            for (int block = 0; block < blocksPerGroup; block++) {
                int stride = group > 0 && block == 0 ? 2 : 1;
                features.add(new WideBasicBlock(channels, width, stride, dropout));
                channels = width;
            }
        }
        features.add(new BnRelu());
        features.add(new GlobalAvgPool());
        return new ClassifierBlock(
                features, Heads.create(spec.head(), spec.numClasses()), featureDimension());
    }
}
