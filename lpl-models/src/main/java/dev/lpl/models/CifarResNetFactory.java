package dev.lpl.models;

import static java.util.Objects.requireNonNull;

import ai.djl.nn.SequentialBlock;
import dev.lpl.api.Settings;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.ModelFactory;
import dev.lpl.api.model.ModelSpec;
import dev.lpl.models.layers.BasicBlock;
import dev.lpl.models.layers.ConvBnRelu;
import dev.lpl.models.layers.GlobalAvgPool;
import java.util.List;
import java.util.Locale;

/**
 * {@code resnet32}, {@code resnet110}: the CIFAR ResNet of He, Zhang, Ren and Sun, "Deep Residual
 * Learning for Image Recognition", CVPR 2016 (§4.2), as written in LDAM-DRW's {@code
 * resnet_cifar.py} (Cao et al., NeurIPS 2019) and ISDA's {@code resnet.py} (Wang et al., NeurIPS
 * 2019).
 *
 * <p>Depth 6n + 2: a 3×3 convolution with 16 filters, batch norm and ReLU; three stages of n
 * {@link BasicBlock}s with 16, 32 and 64 channels and strides 1, 2, 2; global average pooling to
 * D = 64 features; a linear or cosine head. ResNet-32 has n = 5, ResNet-110 n = 18.
 *
 * <p>Options ({@code lpl.model.resnet<depth>}): {@code shortcut}, {@code a} (default, LDAM-DRW:
 * subsample and zero-pad, no parameters) or {@code b} (ISDA / LPL: 1×1 convolution and batch
 * norm); {@code dropout}, the dropout probability between the two convolutions of every block
 * (ISDA + Dropout; default 0). Trainable parameters with a linear head, C = 10 / 100: ResNet-32 A
 * 464,154 / 470,004, B 466,906 / 472,756; ResNet-110 A 1,727,962 / 1,733,812, B 1,730,714 /
 * 1,736,564.
 */
public final class CifarResNetFactory implements ModelFactory {

    /** The feature dimension D, the channels of the last stage. */
    public static final int FEATURES = 64;

    private static final int STEM_CHANNELS = 16;
    private static final int STAGES = 3;

    private final int depth;
    private final int blocksPerStage;

    /**
     * Creates the factory of a CIFAR ResNet of the given depth, named {@code resnet<depth>}; its
     * defaults must be in a {@code reference.conf} under {@code lpl.model.resnet<depth>}.
     *
     * @param depth 6n + 2 for some n ≥ 1 (20, 32, 44, 56, 110, ...)
     */
    public CifarResNetFactory(int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("a CIFAR ResNet has depth 6n + 2, got " + depth);
        }
        this.depth = depth;
        this.blocksPerStage = (depth - 2) / 6;
    }

    /**
     * Returns the ResNet-32 factory (n = 5).
     *
     * @return the factory named {@code resnet32}
     */
    public static CifarResNetFactory resnet32() {
        return new CifarResNetFactory(32);
    }

    /**
     * Returns the ResNet-110 factory (n = 18).
     *
     * @return the factory named {@code resnet110}
     */
    public static CifarResNetFactory resnet110() {
        return new CifarResNetFactory(110);
    }

    /**
     * Returns the depth.
     *
     * @return 6n + 2
     */
    public int depth() {
        return depth;
    }

    @Override
    public String name() {
        return "resnet" + depth;
    }

    @Override
    public String description() {
        return "CIFAR ResNet-" + depth + " (He et al. 2016; LDAM-DRW/ISDA variant), 16/32/64"
                + " channels, D = 64; options shortcut = a|b, dropout";
    }

    @Override
    public ClassifierBlock create(Settings settings, ModelSpec spec) {
        requireNonNull(settings, "settings is null");
        requireNonNull(spec, "spec is null");
        BasicBlock.Shortcut shortcut =
                BasicBlock.Shortcut.valueOf(
                        settings.getChoice("shortcut", List.of("a", "b"))
                                .toUpperCase(Locale.ROOT));
        float dropout = ModelOptions.dropout(settings);
        SequentialBlock features = new SequentialBlock();
        features.add(new ConvBnRelu(STEM_CHANNELS, 1));
        int channels = STEM_CHANNELS;
        for (int stage = 0; stage < STAGES; stage++) {
            int planes = STEM_CHANNELS << stage;
            for (int block = 0; block < blocksPerStage; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                features.add(new BasicBlock(channels, planes, stride, shortcut, dropout));
                channels = planes;
            }
        }
        features.add(new GlobalAvgPool());
        return new ClassifierBlock(
                features, Heads.create(spec.head(), spec.numClasses()), FEATURES);
    }
}
