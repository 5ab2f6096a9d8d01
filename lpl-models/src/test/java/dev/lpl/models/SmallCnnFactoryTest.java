package dev.lpl.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
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
import org.junit.jupiter.params.provider.ValueSource;

class SmallCnnFactoryTest {

    private static final SmallCnnFactory FACTORY = new SmallCnnFactory();

    private static ClassifierBlock create(String options, ModelSpec spec) {
        return FACTORY.create(TestModels.settings(SmallCnnFactory.NAME, options), spec);
    }

    @ParameterizedTest(name = "{0}×{1}×{2}, {3} classes, {4} head, width {5}, dropout {6}")
    @CsvSource({
        "1, 28, 28, 10, LINEAR, 32, 0.0",
        "1, 28, 28, 10, COSINE, 32, 0.0",
        "3, 32, 32, 100, LINEAR, 32, 0.3",
        "3, 32, 32, 10, COSINE, 16, 0.0",
        "1, 8, 8, 2, LINEAR, 16, 0.0",
        "2, 13, 9, 5, LINEAR, 16, 0.5"
    })
    void mapsABatchToLogitsAndFeatures(
            int channels,
            int height,
            int width,
            int classes,
            HeadType head,
            int baseWidth,
            double dropout) {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock block =
                    create("width = " + baseWidth + ", dropout = " + dropout,
                            new ModelSpec(channels, height, width, classes, head));
            TestModels.initialize(block, manager, new Shape(1, channels, height, width));
            assertThat(block.featureDimension()).isEqualTo(2 * baseWidth);
            NDArray x = manager.randomNormal(new Shape(4, channels, height, width));
            for (boolean training : new boolean[] {true, false}) {
                NDArray logits = TestModels.forward(block, manager, x, training);
                assertThat(logits.getShape()).isEqualTo(new Shape(4, classes));
                assertThat(CifarResNetFactoryTest.allFinite(logits)).isTrue();
                NDArray features = TestModels.forward(block.features(), manager, x, training);
                assertThat(features.getShape()).isEqualTo(new Shape(4, 2L * baseWidth));
                if (head == HeadType.COSINE) {
                    CifarResNetFactoryTest.assertWithinUnitInterval(logits);
                }
            }
        }
    }

    @Test
    void defaultWidthGivesSixtyFourFeatures() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierBlock block =
                    create("width = 32, dropout = 0.0",
                            new ModelSpec(1, 28, 28, 10, HeadType.LINEAR));
            TestModels.initialize(block, manager, new Shape(1, 1, 28, 28));
            assertThat(block.featureDimension()).isEqualTo(64);
            // conv 1→32, 32→32, 32→64, 64→64 (3×3, no bias) + 4 BN + linear 64→10
            long expected = 9L * (32 + 32 * 32 + 32 * 64 + 64 * 64)
                    + 2L * (32 + 32 + 64 + 64) + 64 * 10 + 10;
            assertThat(block.trainableParameterCount()).isEqualTo(expected);
        }
    }

    @Test
    void tooSmallImagesAreRejected() {
        assertThatThrownBy(() -> create("width = 32, dropout = 0.0",
                        new ModelSpec(1, 3, 28, 10, HeadType.LINEAR)))
                .isInstanceOf(LplException.class)
                .hasMessageContaining(SmallCnnFactory.NAME)
                .hasMessageContaining("3×28");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-4", "100000", "wide"})
    void invalidWidthNamesTheKey(String width) {
        assertThatThrownBy(() -> create("width = " + width + ", dropout = 0.0",
                        new ModelSpec(1, 28, 28, 10, HeadType.LINEAR)))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("model.small-cnn.width");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "-0.5", "NaN"})
    void invalidDropoutNamesTheKey(String dropout) {
        assertThatThrownBy(() -> create("width = 32, dropout = " + dropout,
                        new ModelSpec(1, 28, 28, 10, HeadType.LINEAR)))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("model.small-cnn.dropout");
    }
}
