package dev.lpl.models;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import dev.lpl.api.Settings;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.ModelFactory;
import dev.lpl.api.model.ModelSpec;
import dev.lpl.models.layers.Bottleneck;
import dev.lpl.models.layers.ConvBnRelu;
import dev.lpl.models.layers.Convolutions;
import dev.lpl.models.layers.GlobalAvgPool;
import java.util.List;

/**
 * {@code resnet50}: the ImageNet ResNet-50 of He, Zhang, Ren and Sun, "Deep Residual Learning for
 * Image Recognition", CVPR 2016 (Table 1), in torchvision's layout ({@code
 * torchvision.models.resnet50}), the backbone of the ImageNet-LT, Places-LT and iNaturalist results
 * of the long-tail literature (Kang et al., ICLR 2020; Menon et al., ICLR 2021).
 *
 * <p>Stem: a 7×7 convolution with 64 filters and stride 2, batch norm, ReLU and a 3×3 max-pool with
 * stride 2; four stages of 3, 4, 6 and 3 {@link Bottleneck} blocks of widths 64, 128, 256 and 512
 * (outputs 256, 512, 1024, 2048), strides 1, 2, 2, 2; global average pooling to D = 2048 features; a
 * linear or cosine head. Made for 224×224 inputs (7×7 before the pooling); any size works, since
 * the pooling is global (32×32 reaches 1×1). Trainable parameters with a linear head: 25,557,032
 * for C = 1000, as torchvision's {@code resnet50()}; 23,528,522 for C = 10.
 *
 * <p>Option ({@code lpl.model.resnet50}): {@code stem}, {@code imagenet} (default, as above) or
 * {@code cifar}, the 3×3 stride-1 convolution with batch norm and ReLU and no max-pool commonly used
 * for 32×32 images (1,728 instead of 9,408 stem weights: 25,549,352 parameters for C = 1000).
 */
public final class ResNet50Factory implements ModelFactory {

    /** The feature dimension D, the channels of the last stage. */
    public static final int FEATURES = 2048;

    private static final int[] BLOCKS = {3, 4, 6, 3};
    private static final int STEM_CHANNELS = 64;

    /** Creates the factory. */
    public ResNet50Factory() {}

    @Override
    public String name() {
        return "resnet50";
    }

    @Override
    public String description() {
        return "ImageNet ResNet-50 (He et al. 2016; torchvision layout), bottleneck blocks, D = 2048, for"
                + " 224x224 (any size works); option stem = imagenet|cifar";
    }

    @Override
    public ClassifierBlock create(Settings settings, ModelSpec spec) {
        requireNonNull(settings, "settings is null");
        requireNonNull(spec, "spec is null");
        String stem = settings.getChoice("stem", List.of("imagenet", "cifar"));
        SequentialBlock features = new SequentialBlock();
        if (stem.equals("imagenet")) {
            features.add(Conv2d.builder()
                            .setKernelShape(new Shape(7, 7))
                            .optStride(new Shape(2, 2))
                            .optPadding(new Shape(3, 3))
                            .setFilters(STEM_CHANNELS)
                            .optBias(false)
                            .build())
                    .add(Convolutions.batchNorm())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        } else {
            features.add(new ConvBnRelu(STEM_CHANNELS, 1));
        }
        int channels = STEM_CHANNELS;
        for (int stage = 0; stage < BLOCKS.length; stage++) {
            int width = STEM_CHANNELS << stage;
            for (int block = 0; block < BLOCKS[stage]; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                features.add(new Bottleneck(channels, width, stride));
                channels = width * Bottleneck.EXPANSION;
            }
        }
        features.add(new GlobalAvgPool());
        return new ClassifierBlock(features, Heads.create(spec.head(), spec.numClasses()), FEATURES);
    }
}
