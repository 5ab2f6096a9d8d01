package dev.lpl.models.layers;

import static org.assertj.core.api.Assertions.assertThat;
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

class CosineClassifierTest {

    private static final int D = 6;
    private static final int C = 4;

    @Test
    void computesCosinesBetweenFeaturesAndClassWeights() {
        Engine.getInstance().setRandomSeed(9);
        try (NDManager manager = NDManager.newBaseManager()) {
            CosineClassifier head = new CosineClassifier(C);
            head.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
            head.initialize(manager, DataType.FLOAT32, new Shape(1, D));
            assertThat(head.weight().getType()).isEqualTo(Parameter.Type.WEIGHT);
            assertThat(head.weight().getArray().getShape()).isEqualTo(new Shape(D, C));
            assertThat(head.getOutputShapes(new Shape[] {new Shape(5, D)}))
                    .containsExactly(new Shape(5, C));

            NDArray x = manager.randomNormal(new Shape(5, D)).mul(3f);
            x.set(new ai.djl.ndarray.index.NDIndex("4, :"), 0f); // an all-zero feature vector
            NDArray logits =
                    head.forward(new ParameterStore(manager, false), new NDList(x), false)
                            .singletonOrThrow();
            assertThat(logits.getShape()).isEqualTo(new Shape(5, C));

            float[] xs = x.toFloatArray();
            float[] ws = head.weight().getArray().toFloatArray();
            float[] out = logits.toFloatArray();
            for (int b = 0; b < 5; b++) {
                for (int c = 0; c < C; c++) {
                    double dot = 0;
                    double xx = 0;
                    double ww = 0;
                    for (int d = 0; d < D; d++) {
                        dot += xs[b * D + d] * ws[d * C + c];
                        xx += xs[b * D + d] * xs[b * D + d];
                        ww += ws[d * C + c] * ws[d * C + c];
                    }
                    double cosine = b == 4 ? 0 : dot / Math.sqrt(xx) / Math.sqrt(ww);
                    assertThat(out[b * C + c]).isCloseTo((float) cosine, within(1e-5f));
                    assertThat(out[b * C + c]).isBetween(-1f - 1e-6f, 1f + 1e-6f);
                }
            }
        }
    }

    @Test
    void featureAlongAClassWeightHasCosineOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CosineClassifier head = new CosineClassifier(2);
            head.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            NDArray w = head.weight().getArray();
            NDArray x = w.transpose().mul(7f); // each row parallel to one class column
            NDArray logits =
                    head.forward(new ParameterStore(manager, false), new NDList(x), false)
                            .singletonOrThrow();
            assertThat(logits.getFloat(0, 0)).isCloseTo(1f, within(1e-5f));
            assertThat(logits.getFloat(1, 1)).isCloseTo(1f, within(1e-5f));
        }
    }

    @Test
    void weightReceivesFiniteGradients() {
        Engine.getInstance().setRandomSeed(10);
        try (NDManager manager = NDManager.newBaseManager()) {
            CosineClassifier head = new CosineClassifier(C);
            head.initialize(manager, DataType.FLOAT32, new Shape(1, D));
            NDArray x = manager.randomNormal(new Shape(3, D));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits =
                        head.forward(new ParameterStore(manager, false), new NDList(x), true)
                                .singletonOrThrow();
                collector.backward(logits.get(":, 0").sum());
            }
            NDArray grad = head.weight().getArray().getGradient();
            assertThat(grad.getShape()).isEqualTo(new Shape(D, C));
            assertThat(grad.abs().sum().getFloat()).isPositive().isFinite();
        }
    }
}
