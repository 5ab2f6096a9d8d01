package dev.lpl.models.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

/**
 * Builders of the bias-free convolutions and the batch norms the blocks of this package and the
 * model factories use.
 */
public final class Convolutions {

    private Convolutions() {}

    /**
     * A 3×3 convolution with padding 1 and no bias (a batch norm follows it).
     *
     * @param filters output channels
     * @param stride the stride in both directions
     * @return the convolution
     */
    public static Conv2d conv3x3(int filters, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .optBias(false)
                .build();
    }

    /**
     * A 1×1 convolution without padding and bias (the option-B projection shortcut).
     *
     * @param filters output channels
     * @param stride the stride in both directions
     * @return the convolution
     */
    public static Conv2d conv1x1(int filters, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(1, 1))
                .optStride(new Shape(stride, stride))
                .setFilters(filters)
                .optBias(false)
                .build();
    }

    /**
     * A batch norm over the channel axis with PyTorch's defaults (ε = 1e-5, running-statistics
     * momentum 0.1, learnable γ and β).
     *
     * @return the batch norm
     */
    public static BatchNorm batchNorm() {
        return BatchNorm.builder().build();
    }

    /**
     * Checks a positive size argument.
     *
     * @param value the value
     * @param name its name, for the message
     * @return the value
     * @throws IllegalArgumentException when the value is below 1
     */
    public static int positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}
