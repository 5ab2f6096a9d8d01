package dev.lpl.models;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.ModelFactory;
import dev.lpl.api.model.ModelSpec;
import dev.lpl.models.layers.ConvBnRelu;
import dev.lpl.models.layers.GlobalAvgPool;

/**
 * {@code small-cnn}: a small VGG-style network (Simonyan and Zisserman, ICLR 2015) with batch
 * normalisation (Ioffe and Szegedy, ICML 2015) and global average pooling (Lin et al., ICLR 2014),
 * for small grey or colour images such as 28×28 Fashion-MNIST:
 *
 * <pre>
 * conv3×3(w)+BN+ReLU, maxpool 2,
 * conv3×3(w)+BN+ReLU, conv3×3(2w)+BN+ReLU, maxpool 2,
 * conv3×3(2w)+BN+ReLU, global average pool  →  D = 2w features
 * </pre>
 *
 * <p>Pooling right after the first convolution keeps a training step cheap on a CPU (the
 * full-resolution stages dominate the cost), while four 3×3 convolutions give a 22-pixel
 * receptive field, enough for 28×28 images.
 *
 * <p>Options ({@code lpl.model.small-cnn}): {@code width} w, the base channel count (default 32),
 * and {@code dropout}, the dropout probability on the features before the head (default 0). The
 * dropout is part of the feature extractor, so that {@code g(f(x))} is the network's output also
 * when a method runs the two parts separately. The features have dimension D = 2w. Inputs must be
 * at least 4×4 pixels. Prefer a width that is a multiple of 16: with PyTorch 2.7.1 on AVX-512
 * CPUs, oneDNN's convolution backward pass was seen to return NaN input gradients now and then when
 * a convolution's channel count is not a multiple of 16 (4, 8, 12, 24 channels), never with 16, 32
 * or 64.
 */
public final class SmallCnnFactory implements ModelFactory {

    /** The name that selects this model. */
    public static final String NAME = "small-cnn";

    /** The smallest input height and width (two 2×2 max-pools). */
    public static final int MIN_SIZE = 4;

    private static final int MAX_WIDTH = 1024;

    /** Creates the factory. */
    public SmallCnnFactory() {
        // stateless
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "small CNN for small images (e.g. Fashion-MNIST): conv-BN-ReLU stages, max-pools,"
                + " global average pool; options width, dropout";
    }

    @Override
    public ClassifierBlock create(Settings settings, ModelSpec spec) {
        requireNonNull(settings, "settings is null");
        requireNonNull(spec, "spec is null");
        int width = settings.getInt("width", 1, MAX_WIDTH);
        float dropout = ModelOptions.dropout(settings);
        if (spec.height() < MIN_SIZE || spec.width() < MIN_SIZE) {
            throw new LplException(
                    "model " + NAME + " needs images of at least " + MIN_SIZE + "×" + MIN_SIZE
                            + " pixels, got " + spec.height() + "×" + spec.width());
        }
        int featureDimension = 2 * width;
        SequentialBlock features = new SequentialBlock();
        features.add(new ConvBnRelu(width, 1))
                .add(maxPool())
                .add(new ConvBnRelu(width, 1))
                .add(new ConvBnRelu(featureDimension, 1))
                .add(maxPool())
                .add(new ConvBnRelu(featureDimension, 1));
        features.add(new GlobalAvgPool());
        if (dropout > 0f) {
            features.add(Dropout.builder().optRate(dropout).build());
        }
        return new ClassifierBlock(
                features, Heads.create(spec.head(), spec.numClasses()), featureDimension);
    }

    private static Block maxPool() {
        return Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2));
    }
}
