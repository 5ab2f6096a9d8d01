package dev.lpl.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InputBufferTest {

    private static float[] pixels(int n) {
        SplittableRandom random = new SplittableRandom(5);
        float[] values = new float[n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }

    @Test
    void channelsLastUploadHoldsTheSameValuesAtTheSameIndices() {
        float[] values = pixels(2 * 3 * 4 * 5);
        ImageFormat last = new ImageFormat(new Shape(3, 4, 5), true);
        ImageFormat first = ImageFormat.channelsFirst(new Shape(3, 4, 5));
        InputBuffer a = new InputBuffer();
        InputBuffer b = new InputBuffer();
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            NDArray x = a.images(m, values, 2, last);
            NDArray y = b.images(m, values, 2, first);
            assertThat(x.getShape()).isEqualTo(new Shape(2, 3, 4, 5));
            assertThat(x.toFloatArray()).containsExactly(values);
            assertThat(y.toFloatArray()).containsExactly(values);
            assertThat(x.get("1, 2, 3, 4").getFloat()).isEqualTo(values[values.length - 1]);
            assertThat(x.get("0, 1, 2, 0").getFloat()).isEqualTo(values[1 * 20 + 2 * 5]);
            // a convolution sees the same image: equal up to the summation order
            NDArray w = m.randomNormal(new Shape(8, 3, 3, 3));
            NDArray cx = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
            NDArray cy = Conv2d.conv2d(y, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
            assertThat(cx.getShape()).isEqualTo(cy.getShape());
            assertThat(cx.sub(cy).abs().max().getFloat()).isLessThan(1e-5f);
        }
    }

    @Test
    void oneChannelIsNotTransposedAndAWrongSizeIsRefused() {
        assertThat(new ImageFormat(new Shape(1, 28, 28), true).transposes()).isFalse();
        assertThat(new ImageFormat(new Shape(3, 32, 32), true).transposes()).isTrue();
        assertThat(new ImageFormat(new Shape(3, 32, 32), false).transposes()).isFalse();
        try (NDManager m = Engine.getInstance().newBaseManager()) {
            assertThatThrownBy(() -> new InputBuffer().images(m, new float[10], 2, ImageFormat.channelsFirst(new Shape(1, 2, 2))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 values are not 2 images");
        }
        assertThatThrownBy(() -> new ImageFormat(new Shape(3, 32), true)).isInstanceOf(IllegalArgumentException.class);
    }
}
