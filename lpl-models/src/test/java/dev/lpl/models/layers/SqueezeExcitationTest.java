package dev.lpl.models.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
import org.junit.jupiter.params.provider.CsvSource;

class SqueezeExcitationTest {

    private static NDArray weight(ai.djl.nn.Block linear) {
        return linear.getParameters().get("weight").getArray();
    }

    @Test
    void scalesEveryChannelBySigmoidOfTheBottleneckComputedByHand() {
        // C = 4, r = 2: W1 is 2×4, W2 is 4×2.
        float[][] w1 = {{0.5f, -1.0f, 0.25f, 2.0f}, {-0.75f, 0.5f, 1.5f, -0.5f}};
        float[][] w2 = {{1.0f, -2.0f}, {0.5f, 0.25f}, {-1.5f, 1.0f}, {0.0f, 3.0f}};
        int batch = 2;
        int channels = 4;
        int pixels = 6; // 2×3 images
        float[] x = new float[batch * channels * pixels];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.7 * i) * 1.5f + (i % 5) * 0.1f;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            SqueezeExcitation se = new SqueezeExcitation(channels, 2);
            assertThat(se.hiddenUnits()).isEqualTo(2);
            Shape in = new Shape(batch, channels, 2, 3);
            se.initialize(manager, DataType.FLOAT32, in);
            assertThat(weight(se.squeeze()).getShape()).isEqualTo(new Shape(2, 4));
            assertThat(weight(se.excite()).getShape()).isEqualTo(new Shape(4, 2));
            weight(se.squeeze()).set(flatten(w1));
            weight(se.excite()).set(flatten(w2));
            // No biases: exactly the two weights are parameters.
            assertThat(se.getParameters().size()).isEqualTo(2);

            for (boolean training : new boolean[] {true, false}) {
                NDArray y =
                        se.forward(
                                        new ParameterStore(manager, false),
                                        new NDList(manager.create(x, in)),
                                        training)
                                .singletonOrThrow();
                assertThat(y.getShape()).isEqualTo(in);
                float[] actual = y.toFloatArray();
                for (int b = 0; b < batch; b++) {
                    double[] pooled = new double[channels];
                    for (int c = 0; c < channels; c++) {
                        for (int p = 0; p < pixels; p++) {
                            pooled[c] += x[(b * channels + c) * pixels + p] / (double) pixels;
                        }
                    }
                    double[] hidden = new double[2];
                    for (int j = 0; j < 2; j++) {
                        for (int c = 0; c < channels; c++) {
                            hidden[j] += w1[j][c] * pooled[c];
                        }
                        hidden[j] = Math.max(0, hidden[j]);
                    }
                    for (int c = 0; c < channels; c++) {
                        double z = w2[c][0] * hidden[0] + w2[c][1] * hidden[1];
                        double scale = 1 / (1 + Math.exp(-z));
                        for (int p = 0; p < pixels; p++) {
                            int i = (b * channels + c) * pixels + p;
                            assertThat((double) actual[i])
                                    .as("b %d c %d p %d", b, c, p)
                                    .isCloseTo(x[i] * scale, within(1e-5));
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} channels, r = {1}: {2} hidden units, {3} parameters")
    @CsvSource({"16, 16, 1, 32", "32, 16, 2, 128", "64, 16, 4, 512", "64, 4, 16, 2048", "24, 16, 1, 48"})
    void bottleneckWidthIsChannelsOverReductionRoundedDown(
            int channels, int reduction, int hidden, long parameters) {
        try (NDManager manager = NDManager.newBaseManager()) {
            SqueezeExcitation se = new SqueezeExcitation(channels, reduction);
            assertThat(se.hiddenUnits()).isEqualTo(hidden);
            se.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 4, 4));
            long count =
                    se.getParameters().values().stream()
                            .mapToLong(p -> p.getArray().size())
                            .sum();
            assertThat(count).isEqualTo(parameters);
        }
    }

    @Test
    void gradientsReachBothLayersAndTheInput() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            SqueezeExcitation se = new SqueezeExcitation(32, 16);
            se.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
            Shape in = new Shape(3, 32, 4, 4);
            se.initialize(manager, DataType.FLOAT32, in);
            NDArray x = manager.randomNormal(in);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y =
                        se.forward(new ParameterStore(manager, false), new NDList(x), true)
                                .singletonOrThrow();
                collector.backward(y.square().sum());
            }
            for (Parameter p : se.getParameters().values()) {
                assertThat(p.getArray().getGradient().abs().sum().getFloat())
                        .as(p.getName())
                        .isPositive()
                        .isFinite();
            }
            assertThat(x.getGradient().abs().sum().getFloat()).isPositive().isFinite();
        }
    }

    @Test
    void rejectsAReductionThatLeavesNoHiddenUnit() {
        assertThatThrownBy(() -> new SqueezeExcitation(8, 16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reduction <= 8");
        assertThatThrownBy(() -> new SqueezeExcitation(8, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SqueezeExcitation(0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAnInputWithOtherChannels() {
        SqueezeExcitation se = new SqueezeExcitation(16, 16);
        assertThatThrownBy(() -> se.getOutputShapes(new Shape[] {new Shape(1, 8, 4, 4)}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("B×16×H×W");
    }

    private static float[] flatten(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * rows[r].length, rows[r].length);
        }
        return out;
    }
}
