package dev.lpl.models.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ZeroPadShortcutTest {

    @ParameterizedTest(name = "{0}→{1} channels, stride {2}, {3}×{4}")
    @CsvSource({"16, 32, 2, 32, 32", "32, 64, 2, 16, 16", "4, 8, 2, 5, 7", "3, 6, 1, 4, 4"})
    void subsamplesAndZeroPadsChannelsOnBothSides(
            int in, int out, int stride, int height, int width) {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            ZeroPadShortcut shortcut = new ZeroPadShortcut(in, out, stride);
            Shape inShape = new Shape(2, in, height, width);
            shortcut.initialize(manager, DataType.FLOAT32, inShape);
            NDArray x = manager.randomNormal(inShape);
            NDArray y =
                    shortcut.forward(new ParameterStore(manager, false), new NDList(x), true)
                            .singletonOrThrow();

            int outHeight = (height + stride - 1) / stride;
            int outWidth = (width + stride - 1) / stride;
            Shape expectedShape = new Shape(2, out, outHeight, outWidth);
            assertThat(y.getShape()).isEqualTo(expectedShape);
            assertThat(shortcut.getOutputShapes(new Shape[] {inShape}))
                    .containsExactly(expectedShape);

            int lead = (out - in) / 2;
            assertThat(shortcut.leadingChannels()).isEqualTo(lead);
            float[] xs = x.toFloatArray();
            float[] ys = y.toFloatArray();
            for (int b = 0; b < 2; b++) {
                for (int c = 0; c < out; c++) {
                    for (int i = 0; i < outHeight; i++) {
                        for (int j = 0; j < outWidth; j++) {
                            float actual = ys[((b * out + c) * outHeight + i) * outWidth + j];
                            int source = c - lead;
                            float expected =
                                    source < 0 || source >= in
                                            ? 0f
                                            : xs[((b * in + source) * height + i * stride) * width
                                                    + j * stride];
                            assertThat(actual).isEqualTo(expected);
                        }
                    }
                }
            }
        }
    }

    @Test
    void passesGradientsToTheSampledPositionsOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ZeroPadShortcut shortcut = new ZeroPadShortcut(2, 4, 2);
            Shape inShape = new Shape(1, 2, 4, 4);
            shortcut.initialize(manager, DataType.FLOAT32, inShape);
            NDArray x = manager.randomNormal(inShape);
            x.setRequiresGradient(true);
            try (var collector = Engine.getInstance().newGradientCollector()) {
                NDArray y =
                        shortcut.forward(new ParameterStore(manager, false), new NDList(x), true)
                                .singletonOrThrow();
                collector.backward(y.sum());
            }
            float[] grad = x.getGradient().toFloatArray();
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        float expected = i % 2 == 0 && j % 2 == 0 ? 1f : 0f;
                        assertThat(grad[(c * 4 + i) * 4 + j]).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void rejectsChannelReduction() {
        assertThatThrownBy(() -> new ZeroPadShortcut(8, 4, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
