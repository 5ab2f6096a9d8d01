package dev.lpl.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.GradientCollector;
import dev.lpl.api.LplException;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.HeadType;
import dev.lpl.api.model.ModelSpec;
import dev.lpl.models.layers.CosineClassifier;
import dev.lpl.models.layers.WideBasicBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WideResNetFactoryTest {

    private static final Shape CIFAR = new Shape(1, 3, 32, 32);

    private static ClassifierBlock create(
            WideResNetFactory factory, String options, int classes, HeadType head) {
        return factory.create(
                TestModels.settings(factory.name(), options),
                new ModelSpec(3, 32, 32, classes, head));
    }

    private static WideResNetFactory factory(String name) {
        return switch (name) {
            case "wrn-28-10" -> WideResNetFactory.wrn28x10();
            case "wrn-16-8" -> WideResNetFactory.wrn16x8();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * The count of the variant, in closed form: stem 3·16·9; per block BN(in) + conv3×3 in→out +
     * BN(out) + conv3×3 out→out (+ a 1×1 in→out projection when the shape changes); final BN;
     * linear head D·C + C.
     */
    static long expectedCount(int depth, int k, int classes) {
        int n = (depth - 4) / 6;
        long total = 3L * 16 * 9;
        long in = 16;
        for (int group = 0; group < 3; group++) {
            long out = (16L << group) * k;
            for (int b = 0; b < n; b++) {
                total += 2 * in + in * out * 9 + 2 * out + out * out * 9;
                if (in != out) {
                    total += in * out;
                }
                in = out;
            }
        }
        return total + 2 * in + in * classes + classes;
    }

    @ParameterizedTest(name = "{0}, C = {1}: {2}")
    @CsvSource({
        "wrn-28-10, 10, 36479194",
        "wrn-28-10, 100, 36536884",
        "wrn-16-8, 10, 10961370",
        "wrn-16-8, 100, 11007540"
    })
    void trainableParameterCountsMatchMethodsSection4(String name, int classes, long expected) {
        WideResNetFactory factory = factory(name);
        assertThat(expectedCount(factory.depth(), factory.widenFactor(), classes))
                .isEqualTo(expected);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock block = create(factory, "dropout = 0.3", classes, HeadType.LINEAR);
            TestModels.initialize(block, manager, CIFAR);
            assertThat(block.trainableParameterCount()).isEqualTo(expected);
            assertThat(block.featureDimension()).isEqualTo(factory.featureDimension());
            assertThat(block.linearClassifierWeight()).isPresent();
            assertThat(block.linearClassifierWeight().orElseThrow().getArray().getShape())
                    .isEqualTo(new Shape(classes, factory.featureDimension()));
        }
    }

    @ParameterizedTest(name = "WRN-{0}-{1}")
    @CsvSource({"10, 1", "16, 2", "22, 1", "10, 4"})
    void otherDepthsAndWidthsFollowTheSameFormula(int depth, int k) {
        WideResNetFactory factory = new WideResNetFactory(depth, k);
        assertThat(factory.name()).isEqualTo("wrn-" + depth + "-" + k);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock linear = create(factory, "dropout = 0.0", 10, HeadType.LINEAR);
            TestModels.initialize(linear, manager, CIFAR);
            assertThat(linear.trainableParameterCount()).isEqualTo(expectedCount(depth, k, 10));
            ClassifierBlock cosine = create(factory, "dropout = 0.0", 10, HeadType.COSINE);
            TestModels.initialize(cosine, manager, CIFAR);
            assertThat(cosine.trainableParameterCount())
                    .isEqualTo(expectedCount(depth, k, 10) - 10);
        }
    }

    @Test
    void wrn16x8MapsABatchToLogitsAndFeaturesInBothModes() {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (HeadType head : HeadType.values()) {
                ClassifierBlock block =
                        create(WideResNetFactory.wrn16x8(), "dropout = 0.3", 100, head);
                TestModels.initialize(block, manager, CIFAR);
                NDArray x = manager.randomNormal(new Shape(2, 3, 16, 16));
                for (boolean training : new boolean[] {true, false}) {
                    NDArray features = TestModels.forward(block.features(), manager, x, training);
                    assertThat(features.getShape()).isEqualTo(new Shape(2, 512));
                    NDArray logits =
                            TestModels.forward(block.classifier(), manager, features, training);
                    assertThat(logits.getShape()).isEqualTo(new Shape(2, 100));
                    assertThat(CifarResNetFactoryTest.allFinite(logits)).isTrue();
                    if (!training) {
                        // g(f(x)) is the whole network's output.
                        NDArray whole = TestModels.forward(block, manager, x, false);
                        assertThat(whole.sub(logits).abs().max().getFloat()).isLessThan(1e-5f);
                    }
                    // Features come after the final BN-ReLU and the average pool: non-negative.
                    assertThat(features.min().getFloat()).isGreaterThanOrEqualTo(0f);
                    if (head == HeadType.COSINE) {
                        assertThat(block.classifier()).isInstanceOf(CosineClassifier.class);
                        CifarResNetFactoryTest.assertWithinUnitInterval(logits);
                    }
                }
            }
        }
    }

    @Test
    void wrn28x10MapsASmallBatchToLogitsAndFeaturesInBothModes() {
        Engine.getInstance().setRandomSeed(8);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock block =
                    create(WideResNetFactory.wrn28x10(), "dropout = 0.3", 10, HeadType.LINEAR);
            // Global average pooling makes the network work on any image of at least 4×4 pixels;
            // 8×8 keeps this test fast.
            TestModels.initialize(block, manager, new Shape(1, 3, 8, 8));
            assertThat(block.getOutputShapes(new Shape[] {new Shape(2, 3, 8, 8)}))
                    .containsExactly(new Shape(2, 10));
            NDArray x = manager.randomNormal(new Shape(2, 3, 8, 8));
            for (boolean training : new boolean[] {true, false}) {
                assertThat(TestModels.forward(block, manager, x, training).getShape())
                        .isEqualTo(new Shape(2, 10));
                assertThat(TestModels.forward(block.features(), manager, x, training).getShape())
                        .isEqualTo(new Shape(2, 640));
            }
        }
    }

    @Test
    void dropoutIsBetweenTheConvolutionsOfEveryBlockAndOnlyActiveInTraining() {
        Engine.getInstance().setRandomSeed(9);
        WideResNetFactory factory = new WideResNetFactory(16, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock with = create(factory, "dropout = 0.3", 10, HeadType.LINEAR);
            ClassifierBlock without = create(factory, "dropout = 0.0", 10, HeadType.LINEAR);
            TestModels.initialize(with, manager, CIFAR);
            TestModels.initialize(without, manager, CIFAR);
            assertThat(countDropouts(with.features())).isEqualTo(6);
            assertThat(countDropouts(without.features())).isZero();
            assertThat(with.trainableParameterCount())
                    .isEqualTo(without.trainableParameterCount());

            NDArray x = manager.randomNormal(new Shape(4, 3, 16, 16));
            float[] train1 = TestModels.forward(with, manager, x, true).toFloatArray();
            float[] train2 = TestModels.forward(with, manager, x, true).toFloatArray();
            assertThat(train1).isNotEqualTo(train2);
            float[] eval1 = TestModels.forward(with, manager, x, false).toFloatArray();
            float[] eval2 = TestModels.forward(with, manager, x, false).toFloatArray();
            assertThat(eval1).containsExactly(eval2);
            float[] plain1 = TestModels.forward(without, manager, x, true).toFloatArray();
            float[] plain2 = TestModels.forward(without, manager, x, true).toFloatArray();
            assertThat(plain1).containsExactly(plain2);
        }
    }

    @Test
    void oneBackwardPassGivesFiniteGradientsToEveryParameter() {
        Engine.getInstance().setRandomSeed(10);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock block =
                    create(new WideResNetFactory(10, 2), "dropout = 0.3", 10, HeadType.COSINE);
            TestModels.initialize(block, manager, CIFAR);
            NDArray x = manager.randomNormal(new Shape(4, 3, 16, 16));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(TestModels.forward(block, manager, x, true).square().sum());
            }
            int withGradient = 0;
            for (Parameter p : block.getParameters().values()) {
                if (p.requiresGradient()) {
                    float norm = p.getArray().getGradient().abs().sum().getFloat();
                    assertThat(norm).as(p.getName()).isFinite().isPositive();
                    withGradient++;
                }
            }
            // stem, 3 blocks × (2 BN × 2 + 2 conv + shortcut), final BN × 2, cosine weight
            assertThat(withGradient).isEqualTo(1 + 3 * 7 + 2 + 1);
        }
    }

    @Test
    void blocksOfEachGroupHaveTheirWidthAndOneProjection() {
        ClassifierBlock block =
                create(WideResNetFactory.wrn28x10(), "dropout = 0.3", 10, HeadType.LINEAR);
        long projections =
                block.features().getChildren().values().stream()
                        .filter(WideBasicBlock.class::isInstance)
                        .map(WideBasicBlock.class::cast)
                        .filter(WideBasicBlock::hasProjection)
                        .count();
        long blocks =
                block.features().getChildren().values().stream()
                        .filter(WideBasicBlock.class::isInstance)
                        .count();
        assertThat(blocks).isEqualTo(12);
        assertThat(projections).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "-0.1", "\"half\""})
    void invalidDropoutNamesTheKey(String dropout) {
        assertThatThrownBy(
                        () -> create(WideResNetFactory.wrn28x10(), "dropout = " + dropout, 10,
                                HeadType.LINEAR))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("model.wrn-28-10.dropout");
    }

    @Test
    void missingDropoutNamesTheKey() {
        assertThatThrownBy(() -> create(WideResNetFactory.wrn16x8(), "", 10, HeadType.LINEAR))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("model.wrn-16-8.dropout");
    }

    @Test
    void depthMustBeSixNPlusFourAndWidthPositive() {
        assertThat(new WideResNetFactory(40, 4).name()).isEqualTo("wrn-40-4");
        assertThat(WideResNetFactory.wrn28x10().featureDimension()).isEqualTo(640);
        assertThat(WideResNetFactory.wrn16x8().featureDimension()).isEqualTo(512);
        assertThatThrownBy(() -> new WideResNetFactory(27, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WideResNetFactory(4, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WideResNetFactory(28, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int countDropouts(Block block) {
        int count = block instanceof Dropout ? 1 : 0;
        for (Block child : block.getChildren().values()) {
            count += countDropouts(child);
        }
        return count;
    }
}
