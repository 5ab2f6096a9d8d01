package dev.lpl.models.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.lpl.api.model.KaimingNormalInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BasicBlockTest {

    @ParameterizedTest
    @EnumSource(BasicBlock.Shortcut.class)
    void everyTrainableParameterGetsAGradient(BasicBlock.Shortcut shortcut) {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            BasicBlock block = new BasicBlock(16, 32, 2, shortcut, 0.1f);
            block.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
            Shape in = new Shape(3, 16, 6, 6);
            block.initialize(manager, DataType.FLOAT32, in);
            assertThat(block.getOutputShapes(new Shape[] {in}))
                    .containsExactly(new Shape(3, 32, 3, 3));
            NDArray x = manager.randomNormal(in);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y =
                        block.forward(new ParameterStore(manager, false), new NDList(x), true)
                                .singletonOrThrow();
                assertThat(y.getShape()).isEqualTo(new Shape(3, 32, 3, 3));
                assertThat(y.min().getFloat()).isGreaterThanOrEqualTo(0f);
                collector.backward(y.square().sum());
            }
            for (Parameter p : block.getParameters().values()) {
                if (p.requiresGradient()) {
                    float norm = p.getArray().getGradient().abs().sum().getFloat();
                    assertThat(norm).as(p.getName()).isPositive().isFinite();
                }
            }
            assertThat(x.getGradient().abs().sum().getFloat()).isPositive().isFinite();
        }
    }

    @Test
    void identityShortcutKeepsTheShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            BasicBlock block = new BasicBlock(16, 16, 1, BasicBlock.Shortcut.B, 0f);
            Shape in = new Shape(2, 16, 5, 5);
            block.initialize(manager, DataType.FLOAT32, in);
            // Identity shortcut: only the two convolutions and two batch norms have parameters.
            long trainable =
                    block.getParameters().values().stream()
                            .filter(Parameter::requiresGradient)
                            .mapToLong(p -> p.getArray().size())
                            .sum();
            assertThat(trainable).isEqualTo(2L * 16 * 16 * 9 + 2L * 2 * 16);
            NDArray y =
                    block.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(manager.randomNormal(in)),
                                    false)
                            .singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(in);
        }
    }

    @Test
    void rejectsInvalidArguments() {
        assertThatThrownBy(() -> new BasicBlock(4, 8, 2, BasicBlock.Shortcut.A, 1f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BasicBlock(0, 8, 2, BasicBlock.Shortcut.A, 0f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BasicBlock(4, 8, 2, null, 0f))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new BasicBlock(16, 16, 1, BasicBlock.Shortcut.A, 0f, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BasicBlock(16, 16, 1, BasicBlock.Shortcut.A, 0f, 32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no hidden unit");
    }

    @Test
    void squeezeExcitationAddsTwoBiasFreeLayersAndKeepsTheShape() {
        Engine.getInstance().setRandomSeed(8);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape in = new Shape(2, 16, 6, 6);
            long[] counts = new long[2];
            for (int reduction : new int[] {0, 16}) {
                BasicBlock block = new BasicBlock(16, 32, 2, BasicBlock.Shortcut.B, 0f, reduction);
                block.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
                block.initialize(manager, DataType.FLOAT32, in);
                counts[reduction == 0 ? 0 : 1] =
                        block.getParameters().values().stream()
                                .filter(Parameter::requiresGradient)
                                .mapToLong(p -> p.getArray().size())
                                .sum();
                NDArray y =
                        block.forward(
                                        new ParameterStore(manager, false),
                                        new NDList(manager.randomNormal(in)),
                                        true)
                                .singletonOrThrow();
                assertThat(y.getShape()).isEqualTo(new Shape(2, 32, 3, 3));
                assertThat(y.min().getFloat()).isGreaterThanOrEqualTo(0f);
            }
            // 32 channels, r = 16: W1 2×32 and W2 32×2.
            assertThat(counts[1] - counts[0]).isEqualTo(2L * 32 * 2);
        }
    }
}
