package dev.lpl.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.lpl.api.LplException;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.HeadType;
import dev.lpl.api.model.ModelSpec;
import dev.lpl.models.layers.SqueezeExcitation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SeResNetFactoryTest {

    private static final Shape CIFAR = new Shape(1, 3, 32, 32);
    private static final CifarResNetFactory FACTORY = CifarResNetFactory.seResnet110();

    private static ClassifierBlock create(String options, int classes, HeadType head) {
        return FACTORY.create(
                TestModels.settings(FACTORY.name(), options),
                new ModelSpec(3, 32, 32, classes, head));
    }

    @ParameterizedTest(name = "option {0}, r = {1}, C = {2}: {3}")
    @CsvSource({
        // ResNet-110 + 18 · (2·16·1 + 2·32·2 + 2·64·4) = + 12,096
        "b, 16, 10, 1742810",
        "b, 16, 100, 1748660",
        "a, 16, 10, 1740058",
        "a, 16, 100, 1745908",
        // r = 8: 18 · (2·16·2 + 2·32·4 + 2·64·8) = 24,192
        "b, 8, 10, 1754906"
    })
    void trainableParameterCountsAreResNet110PlusTheSeModules(
            String shortcut, int reduction, int classes, long expected) {
        long resnet110 = shortcut.equals("a") ? (classes == 10 ? 1_727_962L : 1_733_812L)
                : (classes == 10 ? 1_730_714L : 1_736_564L);
        long se = 18L * (2 * 16 * (16 / reduction) + 2 * 32 * (32 / reduction)
                + 2 * 64 * (64 / reduction));
        assertThat(resnet110 + se).isEqualTo(expected);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock linear =
                    create("shortcut = " + shortcut + ", dropout = 0.0, reduction = " + reduction,
                            classes, HeadType.LINEAR);
            TestModels.initialize(linear, manager, CIFAR);
            assertThat(linear.trainableParameterCount()).isEqualTo(expected);
            ClassifierBlock cosine =
                    create("shortcut = " + shortcut + ", dropout = 0.0, reduction = " + reduction,
                            classes, HeadType.COSINE);
            TestModels.initialize(cosine, manager, CIFAR);
            assertThat(cosine.trainableParameterCount()).isEqualTo(expected - classes);
        }
    }

    @Test
    void everyBlockHasOneSeModuleWithOneTwoOrFourHiddenUnits() {
        ClassifierBlock block = create("shortcut = b, dropout = 0.0, reduction = 16", 10,
                HeadType.LINEAR);
        List<SqueezeExcitation> modules = new ArrayList<>();
        collect(block, modules);
        assertThat(modules).hasSize(54);
        assertThat(modules.subList(0, 18)).allMatch(m -> m.hiddenUnits() == 1);
        assertThat(modules.subList(18, 36)).allMatch(m -> m.hiddenUnits() == 2);
        assertThat(modules.subList(36, 54)).allMatch(m -> m.hiddenUnits() == 4);
        assertThat(FACTORY.name()).isEqualTo("se-resnet110");
        assertThat(FACTORY.squeezeExcitation()).isTrue();
        assertThat(CifarResNetFactory.resnet110().squeezeExcitation()).isFalse();
    }

    @Test
    void mapsABatchToLogitsAndFeaturesInBothModesWithGradientsForTheSeWeights() {
        Engine.getInstance().setRandomSeed(12);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock block =
                    create("shortcut = b, dropout = 0.1, reduction = 16", 100, HeadType.LINEAR);
            TestModels.initialize(block, manager, CIFAR);
            NDArray x = manager.randomNormal(new Shape(2, 3, 8, 8));
            for (boolean training : new boolean[] {true, false}) {
                NDArray logits = TestModels.forward(block, manager, x, training);
                assertThat(logits.getShape()).isEqualTo(new Shape(2, 100));
                assertThat(CifarResNetFactoryTest.allFinite(logits)).isTrue();
                assertThat(TestModels.forward(block.features(), manager, x, training).getShape())
                        .isEqualTo(new Shape(2, 64));
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(TestModels.forward(block, manager, x, true).square().sum());
            }
            List<SqueezeExcitation> modules = new ArrayList<>();
            collect(block, modules);
            for (SqueezeExcitation se : modules) {
                for (Parameter p : se.getParameters().values()) {
                    float norm = p.getArray().getGradient().abs().sum().getFloat();
                    assertThat(norm).as(p.getName()).isFinite();
                }
            }
            // The last block's modules see the strongest signal; their gradients are non-zero.
            for (Parameter p : modules.get(53).getParameters().values()) {
                assertThat(p.getArray().getGradient().abs().sum().getFloat()).isPositive();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "17", "-1", "\"four\""})
    void invalidReductionNamesTheKey(String reduction) {
        assertThatThrownBy(
                        () -> create("shortcut = b, dropout = 0.0, reduction = " + reduction, 10,
                                HeadType.LINEAR))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("model.se-resnet110.reduction");
    }

    @Test
    void missingReductionNamesTheKey() {
        assertThatThrownBy(() -> create("shortcut = b, dropout = 0.0", 10, HeadType.LINEAR))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("model.se-resnet110.reduction");
    }

    @Test
    void plainResNetsIgnoreTheReductionKey() {
        // resnet110 reads no reduction: its settings need none.
        ClassifierBlock block =
                CifarResNetFactory.resnet110()
                        .create(TestModels.settings("resnet110", "shortcut = a, dropout = 0.0"),
                                new ModelSpec(3, 32, 32, 10, HeadType.LINEAR));
        List<SqueezeExcitation> modules = new ArrayList<>();
        collect(block, modules);
        assertThat(modules).isEmpty();
    }

    private static void collect(Block block, List<SqueezeExcitation> into) {
        if (block instanceof SqueezeExcitation se) {
            into.add(se);
            return;
        }
        for (Block child : block.getChildren().values()) {
            collect(child, into);
        }
    }
}
