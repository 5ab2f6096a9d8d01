package dev.lpl.core.train;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import dev.lpl.api.Settings;

/**
 * How a batch of images enters the network: the C×H×W shape of one image and the memory layout of
 * the uploaded batch.
 *
 * <p>With {@code channelsLast} (the setting {@code training.channels-last}, on by default) a batch
 * is uploaded as B×H×W×C values and handed to the network as its B×C×H×W view, so the array has
 * PyTorch's {@code channels_last} strides. The engine's convolutions and batch norms (oneDNN on the
 * CPU) then work in that layout end to end instead of converting every activation to and from a
 * blocked layout, and every later activation keeps it: a ResNet-32 step on 3×32×32 images is about
 * 15 % faster on a 2-core AVX-512 CPU ({@code benchmarks/README.md}). The values, shapes and results
 * are those of the plain layout up to float rounding (the convolutions sum in another order). A
 * single-channel image is the same in both layouts, so Fashion-MNIST runs are unaffected.
 *
 * @param shape C×H×W of one image
 * @param channelsLast whether batches are uploaded channels-last
 */
public record ImageFormat(Shape shape, boolean channelsLast) {

    /**
     * Checks the shape.
     *
     * @param shape C×H×W of one image
     * @param channelsLast whether batches are uploaded channels-last
     */
    public ImageFormat {
        requireNonNull(shape, "shape is null");
        if (shape.dimension() != 3 || shape.size() < 1) {
            throw new IllegalArgumentException("an image is C×H×W with positive sizes, got " + shape);
        }
    }

    /**
     * Returns the format a run's {@code training} block asks for ({@code channels-last}).
     *
     * @param training the {@code training} block
     * @param shape C×H×W
     * @return the format
     */
    public static ImageFormat of(Settings training, Shape shape) {
        return new ImageFormat(shape, training.getBoolean("channels-last"));
    }

    /**
     * Returns the plain (channels-first) format of images of a shape.
     *
     * @param shape C×H×W
     * @return the format
     */
    public static ImageFormat channelsFirst(Shape shape) {
        return new ImageFormat(shape, false);
    }

    /** @return C */
    public int channels() {
        return (int) shape.get(0);
    }

    /** @return H */
    public int height() {
        return (int) shape.get(1);
    }

    /** @return W */
    public int width() {
        return (int) shape.get(2);
    }

    /**
     * Returns whether a batch is actually uploaded channels-last: asked for, and more than one
     * channel (one channel is the same layout either way).
     *
     * @return whether uploads transpose to B×H×W×C
     */
    public boolean transposes() {
        return channelsLast && channels() > 1;
    }
}
