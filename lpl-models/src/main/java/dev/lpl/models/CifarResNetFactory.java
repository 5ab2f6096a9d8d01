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
 *
 * <p>{@code se-resnet110} ({@link #seResnet110()}) is the same network with a squeeze-and-excitation
 * module (Hu, Shen and Sun, "Squeeze-and-Excitation Networks", CVPR 2018) in every basic block,
 * written after ISDA's {@code networks/se_resnet.py} and {@code se_module.py}: global average pool
 * → FC(C/r) → ReLU → FC(C) → sigmoid → channel scale of the second batch norm's output, before the
 * residual addition; both FCs have no bias; r = 16 ({@code SELayer}'s default, which ISDA's {@code
 * BasicBlock} keeps). Its options ({@code lpl.model.se-resnet110}) add {@code reduction} r, an
 * integer in [1, 16] (the first stage has 16 channels, and {@code ⌊16/r⌋} must be at least one
 * unit); the default shortcut is option B, a 1×1 convolution and batch norm, as in ISDA's {@code
 * ResNet_Cifar}. With r = 16 a block of the three stages has 1, 2 and 4 hidden units and adds
 * 2·16·1 = 32, 2·32·2 = 128 and 2·64·4 = 512 parameters; 18 blocks per stage add 18·(32 + 128 +
 * 512) = 12,096 to ResNet-110, so SE-ResNet-110 has, C = 10 / 100: option B 1,742,810 / 1,748,660
 * (the default), option A 1,740,058 / 1,745,908.
 */
public final class CifarResNetFactory implements ModelFactory {

    /** The feature dimension D, the channels of the last stage. */
    public static final int FEATURES = 64;

    private static final int STEM_CHANNELS = 16;
    private static final int STAGES = 3;

    /** The largest squeeze-and-excitation reduction: the first stage has 16 channels. */
    public static final int MAX_REDUCTION = STEM_CHANNELS;

    private final int depth;
    private final int blocksPerStage;
    private final boolean squeezeExcitation;

    /**
     * Creates the factory of a CIFAR ResNet of the given depth, named {@code resnet<depth>}; its
     * defaults must be in a {@code reference.conf} under {@code lpl.model.resnet<depth>}.
     *
     * @param depth 6n + 2 for some n ≥ 1 (20, 32, 44, 56, 110, ...)
     */
    public CifarResNetFactory(int depth) {
        this(depth, false);
    }

    /**
     * Creates the factory of a CIFAR ResNet of the given depth, with or without
     * squeeze-and-excitation modules, named {@code resnet<depth>} or {@code se-resnet<depth>}; its
     * defaults must be in a {@code reference.conf} under {@code lpl.model.<name>} ({@code
     * reduction} as well for the SE variant).
     *
     * @param depth 6n + 2 for some n ≥ 1 (20, 32, 44, 56, 110, ...)
     * @param squeezeExcitation whether every block has a squeeze-and-excitation module
     */
    public CifarResNetFactory(int depth, boolean squeezeExcitation) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("a CIFAR ResNet has depth 6n + 2, got " + depth);
        }
        this.depth = depth;
        this.blocksPerStage = (depth - 2) / 6;
        this.squeezeExcitation = squeezeExcitation;
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
     * Returns the SE-ResNet-110 factory (n = 18, a squeeze-and-excitation module in every block).
     *
     * @return the factory named {@code se-resnet110}
     */
    public static CifarResNetFactory seResnet110() {
        return new CifarResNetFactory(110, true);
    }

    /**
     * Returns whether every block has a squeeze-and-excitation module.
     *
     * @return true for {@code se-resnet<depth>}
     */
    public boolean squeezeExcitation() {
        return squeezeExcitation;
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
        return (squeezeExcitation ? "se-resnet" : "resnet") + depth;
    }

    @Override
    public String description() {
        if (squeezeExcitation) {
            return "CIFAR SE-ResNet-" + depth + " (Hu et al. 2018; ISDA variant): ResNet-" + depth
                    + " with squeeze-and-excitation in every block, D = 64; options shortcut = a|b,"
                    + " dropout, reduction";
        }
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
        int reduction =
                squeezeExcitation ? settings.getInt(ModelOptions.REDUCTION, 1, MAX_REDUCTION) : 0;
        SequentialBlock features = new SequentialBlock();
        features.add(new ConvBnRelu(STEM_CHANNELS, 1));
        int channels = STEM_CHANNELS;
        for (int stage = 0; stage < STAGES; stage++) {
            int planes = STEM_CHANNELS << stage;
            for (int block = 0; block < blocksPerStage; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                features.add(new BasicBlock(channels, planes, stride, shortcut, dropout, reduction));
                channels = planes;
            }
        }
        features.add(new GlobalAvgPool());
        return new ClassifierBlock(
                features, Heads.create(spec.head(), spec.numClasses()), FEATURES);
    }
}
