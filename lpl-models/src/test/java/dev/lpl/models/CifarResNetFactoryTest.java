package dev.lpl.models;

import dev.lpl.api.model.KaimingNormalInitializer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.lpl.api.LplException;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.HeadType;
import dev.lpl.api.model.ModelSpec;
import dev.lpl.models.layers.CosineClassifier;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CifarResNetFactoryTest {

    private static final Shape CIFAR = new Shape(1, 3, 32, 32);

    private static ClassifierBlock create(
            CifarResNetFactory factory, String options, int classes, HeadType head) {
        return factory.create(
                TestModels.settings(factory.name(), options),
                new ModelSpec(3, 32, 32, classes, head));
    }

    private static CifarResNetFactory factory(int depth) {
        return depth == 32 ? CifarResNetFactory.resnet32() : CifarResNetFactory.resnet110();
    }

    @ParameterizedTest(name = "ResNet-{0} option {1}, C = {2}: {3}")
    @CsvSource({
        "32, a, 10, 464154",
        "32, a, 100, 470004",
        "110, a, 10, 1727962",
        "110, a, 100, 1733812",
        "32, b, 10, 466906",
        "32, b, 100, 472756",
        "110, b, 10, 1730714",
        "110, b, 100, 1736564"
    })
    void trainableParameterCountsMatchThePapers(
            int depth, String shortcut, int classes, long expected) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock linear =
                    create(factory(depth), "shortcut = " + shortcut + ", dropout = 0.0", classes,
                            HeadType.LINEAR);
            TestModels.initialize(linear, manager, CIFAR);
            assertThat(linear.trainableParameterCount()).isEqualTo(expected);

            // The cosine head has the same D×C weight but no bias.
            ClassifierBlock cosine =
                    create(factory(depth), "shortcut = " + shortcut + ", dropout = 0.0", classes,
                            HeadType.COSINE);
            TestModels.initialize(cosine, manager, CIFAR);
            assertThat(cosine.trainableParameterCount()).isEqualTo(expected - classes);
        }
    }

    @Test
    void dropoutAddsNoParameters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock block =
                    create(CifarResNetFactory.resnet32(), "shortcut = b, dropout = 0.3", 10,
                            HeadType.LINEAR);
            TestModels.initialize(block, manager, CIFAR);
            assertThat(block.trainableParameterCount()).isEqualTo(466_906L);
        }
    }

    @ParameterizedTest(name = "shortcut {0}, head {1}, dropout {2}")
    @CsvSource({
        "a, LINEAR, 0.0",
        "a, COSINE, 0.0",
        "b, LINEAR, 0.0",
        "b, COSINE, 0.2",
        "a, LINEAR, 0.2"
    })
    void resnet32MapsABatchToLogitsAndFeatures(String shortcut, HeadType head, double dropout) {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock block =
                    create(CifarResNetFactory.resnet32(),
                            "shortcut = " + shortcut + ", dropout = " + dropout, 10, head);
            TestModels.initialize(block, manager, CIFAR);
            assertThat(block.featureDimension()).isEqualTo(CifarResNetFactory.FEATURES);
            assertThat(block.getOutputShapes(new Shape[] {new Shape(3, 3, 32, 32)}))
                    .containsExactly(new Shape(3, 10));
            NDArray x = manager.randomNormal(new Shape(3, 3, 32, 32));
            for (boolean training : new boolean[] {true, false}) {
                NDArray logits = TestModels.forward(block, manager, x, training);
                assertThat(logits.getShape()).isEqualTo(new Shape(3, 10));
                assertThat(allFinite(logits)).isTrue();
                NDArray features = TestModels.forward(block.features(), manager, x, training);
                assertThat(features.getShape()).isEqualTo(new Shape(3, 64));
                NDArray again = TestModels.forward(block.classifier(), manager, features, training);
                assertThat(again.getShape()).isEqualTo(new Shape(3, 10));
                if (head == HeadType.COSINE) {
                    assertThat(block.classifier()).isInstanceOf(CosineClassifier.class);
                    assertWithinUnitInterval(logits);
                }
            }
        }
    }

    @Test
    void inferenceIsDeterministicEvenWithDropout() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock block =
                    create(CifarResNetFactory.resnet32(), "shortcut = b, dropout = 0.5", 10,
                            HeadType.LINEAR);
            TestModels.initialize(block, manager, CIFAR);
            NDArray x = manager.randomNormal(new Shape(2, 3, 16, 16));
            NDArray first = TestModels.forward(block, manager, x, false);
            NDArray second = TestModels.forward(block, manager, x, false);
            assertThat(first.toFloatArray()).containsExactly(second.toFloatArray());
        }
    }

    @Test
    void resnet110RunsOnATinyBatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock block =
                    create(CifarResNetFactory.resnet110(), "shortcut = a, dropout = 0.0", 100,
                            HeadType.LINEAR);
            TestModels.initialize(block, manager, CIFAR);
            NDArray logits =
                    TestModels.forward(
                            block, manager, manager.randomNormal(new Shape(2, 3, 8, 8)), true);
            assertThat(logits.getShape()).isEqualTo(new Shape(2, 100));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 5, 1})
    void oddAndTinyImagesKeepShortcutAndResidualAligned(int size) {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String shortcut : List.of("a", "b")) {
                ClassifierBlock block =
                        CifarResNetFactory.resnet32()
                                .create(
                                        TestModels.settings(
                                                "resnet32", "shortcut = " + shortcut + ", dropout = 0"),
                                        new ModelSpec(1, size, size, 4, HeadType.LINEAR));
                TestModels.initialize(block, manager, new Shape(1, 1, size, size));
                NDArray logits =
                        TestModels.forward(
                                block, manager, manager.randomNormal(new Shape(2, 1, size, size)),
                                true);
                assertThat(logits.getShape()).isEqualTo(new Shape(2, 4));
            }
        }
    }

    @Test
    void initialisationKeepsBatchNormAndBiasDefaults() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock block =
                    create(CifarResNetFactory.resnet32(), "shortcut = b, dropout = 0.0", 10,
                            HeadType.LINEAR);
            TestModels.initialize(block, manager, CIFAR);
            int weights = 0;
            for (Parameter p : block.getParameters().values()) {
                NDArray a = p.getArray();
                switch (p.getType()) {
                    case GAMMA:
                    case RUNNING_VAR:
                        assertThat(a.eq(1f).all().getBoolean()).as(p.getName()).isTrue();
                        break;
                    case BETA:
                    case BIAS:
                    case RUNNING_MEAN:
                        assertThat(a.eq(0f).all().getBoolean()).as(p.getName()).isTrue();
                        break;
                    case WEIGHT:
                        weights++;
                        double expected = KaimingNormalInitializer.standardDeviation(a.getShape());
                        if (a.size() >= 2000) {
                            double std = Math.sqrt(a.square().mean().getFloat());
                            assertThat(std).as(p.getName()).isCloseTo(expected,
                                    org.assertj.core.data.Percentage.withPercentage(10));
                        }
                        break;
                    default:
                        throw new AssertionError("unexpected parameter type " + p.getType());
                }
            }
            // 31 convolutions + 2 projection shortcuts + the head.
            assertThat(weights).isEqualTo(34);
        }
    }

    @ParameterizedTest(name = "shortcut {0}, head {1}")
    @CsvSource({"a, LINEAR", "b, COSINE"})
    void oneBackwardPassGivesFiniteGradientsToEveryParameter(String shortcut, HeadType head) {
        Engine.getInstance().setRandomSeed(13);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock block =
                    create(CifarResNetFactory.resnet32(),
                            "shortcut = " + shortcut + ", dropout = 0.1", 10, head);
            TestModels.initialize(block, manager, CIFAR);
            NDArray x = manager.randomNormal(new Shape(4, 3, 32, 32));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = TestModels.forward(block, manager, x, true);
                collector.backward(logits.square().sum());
            }
            for (Parameter p : block.getParameters().values()) {
                if (p.requiresGradient()) {
                    float norm = p.getArray().getGradient().abs().sum().getFloat();
                    assertThat(norm).as(p.getName()).isFinite().isPositive();
                }
            }
        }
    }

    @Test
    void invalidShortcutNamesTheKey() {
        assertThatThrownBy(
                        () -> create(CifarResNetFactory.resnet32(), "shortcut = c, dropout = 0.0",
                                10, HeadType.LINEAR))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("model.resnet32.shortcut")
                .hasMessageContaining("[a, b]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "-0.1", "1.5", "\"lots\""})
    void invalidDropoutNamesTheKey(String dropout) {
        assertThatThrownBy(
                        () -> create(CifarResNetFactory.resnet110(),
                                "shortcut = a, dropout = " + dropout, 10, HeadType.LINEAR))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("model.resnet110.dropout");
    }

    @Test
    void missingOptionNamesTheKey() {
        assertThatThrownBy(
                        () -> create(CifarResNetFactory.resnet32(), "shortcut = a", 10,
                                HeadType.LINEAR))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("model.resnet32.dropout");
    }

    @Test
    void depthMustBeSixNPlusTwo() {
        assertThat(new CifarResNetFactory(56).name()).isEqualTo("resnet56");
        assertThatThrownBy(() -> new CifarResNetFactory(33))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CifarResNetFactory(2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static boolean allFinite(NDArray array) {
        for (float v : array.toFloatArray()) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    static void assertWithinUnitInterval(NDArray logits) {
        for (float v : logits.toFloatArray()) {
            assertThat(v).isBetween(-1f - 1e-5f, 1f + 1e-5f);
        }
    }
}
