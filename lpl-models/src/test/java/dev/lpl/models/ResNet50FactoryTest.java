package dev.lpl.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.LplException;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.HeadType;
import dev.lpl.api.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResNet50FactoryTest {

    private static ClassifierBlock create(String options, int size, int classes, HeadType head) {
        ResNet50Factory factory = new ResNet50Factory();
        return factory.create(TestModels.settings(factory.name(), options), new ModelSpec(3, size, size, classes, head));
    }

    /** torchvision: sum(p.numel() for p in resnet50(num_classes=C).parameters()). */
    @ParameterizedTest(name = "stem {0}, C = {1}: {2}")
    @CsvSource({
        "imagenet, 1000, 25557032",
        "imagenet, 10, 23528522",
        "cifar, 1000, 25549352"
    })
    void trainableParametersEqualTorchvisionsResnet50(String stem, int classes, long expected) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock linear = create("stem = " + stem, 32, classes, HeadType.LINEAR);
            TestModels.initialize(linear, manager, new Shape(1, 3, 32, 32));
            assertThat(linear.trainableParameterCount()).isEqualTo(expected);
            assertThat(linear.featureDimension()).isEqualTo(ResNet50Factory.FEATURES);
            ClassifierBlock cosine = create("stem = " + stem, 32, classes, HeadType.COSINE);
            TestModels.initialize(cosine, manager, new Shape(1, 3, 32, 32));
            assertThat(cosine.trainableParameterCount()).isEqualTo(expected - classes);
        }
    }

    @Test
    void mapsSmallAndOddImagesToLogitsAndFeatures() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String stem : new String[] {"imagenet", "cifar"}) {
                for (int size : new int[] {32, 17}) {
                    ClassifierBlock block = create("stem = " + stem, size, 7, HeadType.LINEAR);
                    TestModels.initialize(block, manager, new Shape(1, 3, size, size));
                    assertThat(block.getOutputShapes(new Shape[] {new Shape(2, 3, size, size)}))
                            .containsExactly(new Shape(2, 7));
                    NDArray x = manager.randomNormal(new Shape(2, 3, size, size));
                    for (boolean training : new boolean[] {true, false}) {
                        NDArray logits = TestModels.forward(block, manager, x, training);
                        assertThat(logits.getShape()).as(stem + " " + size).isEqualTo(new Shape(2, 7));
                        assertThat(logits.isInfinite().any().getBoolean() || logits.isNaN().any().getBoolean())
                                .isFalse();
                        assertThat(TestModels.forward(block.features(), manager, x, training).getShape())
                                .isEqualTo(new Shape(2, 2048));
                    }
                }
            }
        }
    }

    @Test
    void anUnknownStemIsRefused() {
        assertThatThrownBy(() -> create("stem = tiny", 32, 10, HeadType.LINEAR))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("model.resnet50.stem");
    }
}
