package dev.lpl.api.model;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Kaiming (He) normal initialisation: He, Zhang, Ren and Sun, "Delving Deep into Rectifiers:
 * Surpassing Human-Level Performance on ImageNet Classification", ICCV 2015.
 *
 * <p>Draws every weight from {@code N(0, 2 / fan_in)} with {@code fan_in = shape[1] ·
 * prod(shape[2:])}, which is PyTorch's {@code nn.init.kaiming_normal_} with its defaults ({@code
 * mode = fan_in}, ReLU gain √2), as applied to the convolution and linear weights by the reference
 * code of LDAM-DRW and ISDA. Set it for {@link ai.djl.nn.Parameter.Type#WEIGHT} only, so that
 * biases and batch-norm parameters keep their defaults (zero bias and β, unit γ). Numbers are drawn
 * from the engine's generator, so {@code Engine.setRandomSeed} makes them reproducible.
 */
public final class KaimingNormalInitializer implements Initializer {

    /** Creates the initialiser. */
    public KaimingNormalInitializer() {
        // stateless
    }

    /**
     * Returns the standard deviation used for a weight of the given shape, {@code sqrt(2 /
     * fan_in)}.
     *
     * @param shape a weight shape of at least two dimensions, such as out × in or out × in × kH × kW
     * @return the standard deviation
     * @throws IllegalArgumentException when the shape has fewer than two dimensions or no elements
     */
    public static double standardDeviation(Shape shape) {
        requireNonNull(shape, "shape is null");
        if (shape.dimension() < 2 || shape.size() == 0) {
            throw new IllegalArgumentException(
                    "Kaiming initialisation needs a non-empty weight of at least two dimensions, got "
                            + shape);
        }
        long fanIn = shape.size() / shape.get(0);
        return Math.sqrt(2.0 / fanIn);
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        requireNonNull(manager, "manager is null");
        requireNonNull(dataType, "dataType is null");
        float std = (float) standardDeviation(shape);
        return manager.randomNormal(0f, std, shape, dataType, manager.getDevice());
    }

    @Override
    public String toString() {
        return "KaimingNormalInitializer[std = sqrt(2 / fan_in)]";
    }
}
