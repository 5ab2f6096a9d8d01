package dev.lpl.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KaimingNormalInitializerTest {

    @Test
    void standardDeviationUsesFanIn() {
        assertThat(KaimingNormalInitializer.standardDeviation(new Shape(64, 32, 3, 3)))
                .isCloseTo(Math.sqrt(2.0 / 288), within(1e-12));
        assertThat(KaimingNormalInitializer.standardDeviation(new Shape(10, 64)))
                .isCloseTo(Math.sqrt(2.0 / 64), within(1e-12));
    }

    @Test
    void drawsFromZeroMeanNormalWithHeStandardDeviation() {
        Shape shape = new Shape(512, 64, 3, 3);
        double expected = Math.sqrt(2.0 / (64 * 9));
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(42);
            NDArray w = new KaimingNormalInitializer().initialize(manager, shape, DataType.FLOAT32);
            assertThat(w.getShape()).isEqualTo(shape);
            assertThat(w.getDataType()).isEqualTo(DataType.FLOAT32);
            double mean = w.mean().getFloat();
            double std = Math.sqrt(w.sub(mean).square().mean().getFloat());
            assertThat(mean).isCloseTo(0.0, within(expected * 0.01));
            assertThat(std).isCloseTo(expected, within(expected * 0.01));

            Engine.getInstance().setRandomSeed(42);
            NDArray again =
                    new KaimingNormalInitializer().initialize(manager, shape, DataType.FLOAT32);
            assertThat(Arrays.equals(again.toFloatArray(), w.toFloatArray())).isTrue();
        }
    }

    @Test
    void rejectsVectors() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(
                            () -> new KaimingNormalInitializer()
                                    .initialize(manager, new Shape(10), DataType.FLOAT32))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
