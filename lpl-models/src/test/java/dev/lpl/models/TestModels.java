package dev.lpl.models;

import dev.lpl.api.model.KaimingNormalInitializer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.lpl.api.Settings;
import dev.lpl.core.config.TypesafeSettings;

/** Helpers shared by the tests of this module. */
final class TestModels {

    private TestModels() {}

    /**
     * Parses the options of a model into settings whose path is {@code model.<name>}, as the
     * framework hands them to a factory.
     */
    static Settings settings(String name, String hocon) {
        return TypesafeSettings.parse("model." + name + " { " + hocon + " }")
                .getSettings("model." + name);
    }

    /** Initialises a block the way the framework does: Kaiming-normal weights, defaults else. */
    static void initialize(Block block, NDManager manager, Shape inputShape) {
        block.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, inputShape);
    }

    /** Runs a block on one input. */
    static NDArray forward(Block block, NDManager manager, NDArray input, boolean training) {
        return block.forward(new ParameterStore(manager, false), new NDList(input), training)
                .singletonOrThrow();
    }
}
