package dev.lpl.models.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.lpl.api.model.KaimingNormalInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WideBasicBlockTest {

    private static final double BN_EPSILON = 1e-5;

    private static NDArray weightOf(Block block, String child) {
        for (var entry : block.getChildren()) {
            if (entry.getKey().endsWith(child)) {
                return entry.getValue().getParameters().get("weight").getArray();
            }
        }
        throw new AssertionError("no child " + child);
    }

    @Test
    void projectionShortcutTakesThePreActivatedInput() {
        // Inference mode with fresh batch norms (running mean 0, variance 1, γ = 1, β = 0): every
        // batch norm is x / sqrt(1 + ε), so the block can be recomputed from its three weights.
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            WideBasicBlock block = new WideBasicBlock(16, 32, 2, 0f);
            assertThat(block.hasProjection()).isTrue();
            block.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
            Shape in = new Shape(2, 16, 6, 6);
            block.initialize(manager, DataType.FLOAT32, in);
            NDArray x = manager.randomNormal(in);
            NDArray y =
                    block.forward(new ParameterStore(manager, false), new NDList(x), false)
                            .singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(2, 32, 3, 3));

            float bn = (float) (1 / Math.sqrt(1 + BN_EPSILON));
            NDArray a = Activation.relu(x.mul(bn));
            NDArray h =
                    Conv2d.conv2d(a, weightOf(block, "conv1"), null, new Shape(2, 2),
                                    new Shape(1, 1))
                            .singletonOrThrow();
            h = Activation.relu(h.mul(bn));
            NDArray residual =
                    Conv2d.conv2d(h, weightOf(block, "conv2"), null, new Shape(1, 1),
                                    new Shape(1, 1))
                            .singletonOrThrow();
            NDArray shortcut =
                    Conv2d.conv2d(a, weightOf(block, "shortcut"), null, new Shape(2, 2),
                                    new Shape(0, 0))
                            .singletonOrThrow();
            NDArray expected = residual.add(shortcut);
            assertThat(y.sub(expected).abs().max().getFloat()).isLessThan(1e-4f);

            // The raw input in the shortcut would give another result.
            NDArray wrong =
                    residual.add(
                            Conv2d.conv2d(x, weightOf(block, "shortcut"), null, new Shape(2, 2),
                                            new Shape(0, 0))
                                    .singletonOrThrow());
            assertThat(y.sub(wrong).abs().max().getFloat()).isGreaterThan(1e-2f);
        }
    }

    @Test
    void identityShortcutAddsTheRawInputAndHasNoActivationAfterTheSum() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager manager = NDManager.newBaseManager()) {
            WideBasicBlock block = new WideBasicBlock(16, 16, 1, 0f);
            assertThat(block.hasProjection()).isFalse();
            block.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
            Shape in = new Shape(2, 16, 5, 5);
            block.initialize(manager, DataType.FLOAT32, in);
            long trainable =
                    block.getParameters().values().stream()
                            .filter(Parameter::requiresGradient)
                            .mapToLong(p -> p.getArray().size())
                            .sum();
            // bn1, conv1, bn2, conv2; no shortcut parameters, no biases.
            assertThat(trainable).isEqualTo(2L * 16 + 16 * 16 * 9 + 2L * 16 + 16 * 16 * 9);
            NDArray x = manager.randomNormal(in);
            NDArray y =
                    block.forward(new ParameterStore(manager, false), new NDList(x), false)
                            .singletonOrThrow();
            float bn = (float) (1 / Math.sqrt(1 + BN_EPSILON));
            NDArray h =
                    Conv2d.conv2d(Activation.relu(x.mul(bn)), weightOf(block, "conv1"), null,
                                    new Shape(1, 1), new Shape(1, 1))
                            .singletonOrThrow();
            NDArray residual =
                    Conv2d.conv2d(Activation.relu(h.mul(bn)), weightOf(block, "conv2"), null,
                                    new Shape(1, 1), new Shape(1, 1))
                            .singletonOrThrow();
            assertThat(y.sub(residual.add(x)).abs().max().getFloat()).isLessThan(1e-4f);
            assertThat(y.min().getFloat()).isNegative();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}, stride {2}, dropout {3}")
    @CsvSource({"16, 32, 2, 0.0", "32, 32, 1, 0.3", "16, 16, 1, 0.5"})
    void everyTrainableParameterGetsAGradient(int in, int out, int stride, float dropout) {
        Engine.getInstance().setRandomSeed(6);
        try (NDManager manager = NDManager.newBaseManager()) {
            WideBasicBlock block = new WideBasicBlock(in, out, stride, dropout);
            block.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
            Shape shape = new Shape(3, in, 6, 6);
            block.initialize(manager, DataType.FLOAT32, shape);
            long size = 6 / stride;
            assertThat(block.getOutputShapes(new Shape[] {shape}))
                    .containsExactly(new Shape(3, out, size, size));
            NDArray x = manager.randomNormal(shape);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y =
                        block.forward(new ParameterStore(manager, false), new NDList(x), true)
                                .singletonOrThrow();
                assertThat(y.getShape()).isEqualTo(new Shape(3, out, size, size));
                collector.backward(y.square().sum());
            }
            for (Parameter p : block.getParameters().values()) {
                if (p.requiresGradient()) {
                    assertThat(p.getArray().getGradient().abs().sum().getFloat())
                            .as(p.getName())
                            .isPositive()
                            .isFinite();
                }
            }
            assertThat(x.getGradient().abs().sum().getFloat()).isPositive().isFinite();
        }
    }

    @Test
    void rejectsInvalidArguments() {
        assertThatThrownBy(() -> new WideBasicBlock(16, 32, 2, 1f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WideBasicBlock(16, 32, 2, -0.1f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WideBasicBlock(0, 32, 2, 0f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WideBasicBlock(16, 32, 0, 0f))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
