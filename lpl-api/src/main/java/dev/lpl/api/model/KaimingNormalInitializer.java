package dev.lpl.api.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Kaiming-normal ("He") initialisation (He, Zhang, Ren and Sun, "Delving Deep into Rectifiers",
 * ICCV 2015, Eq. 10): {@code w ~ N(0, 2/fan_in)} with {@code fan_in = shape[1]·∏shape[2:]}, the
 * default of PyTorch's {@code kaiming_normal_} that the LDAM-DRW and ISDA code apply to every
 * convolution and linear weight. The framework applies it to parameters of type {@code WEIGHT};
 * biases start at zero and BatchNorm at γ = 1, β = 0.
 */
public final class KaimingNormalInitializer implements Initializer {

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException("Kaiming initialisation needs a weight of rank >= 2, got " + shape);
        }
        long fanIn = shape.get(1) * (shape.dimension() > 2 ? shape.slice(2).size() : 1);
        float std = (float) Math.sqrt(2.0 / fanIn);
        return manager.randomNormal(0f, std, shape, dataType, manager.getDevice());
    }
}
