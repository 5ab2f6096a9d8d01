package dev.lpl.methods.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lpl.api.LplException;
import dev.lpl.core.train.GradMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Meta-Weight-Net's weighting MLP and its optimizer against naive double-precision references. */
class MetaWeightNetTest {

    private static final int HIDDEN = 5;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static MetaWeightNet method() {
        return new MetaWeightNet(HIDDEN, 0.1, 0.9, true, 0.01, 10, 100);
    }

    private Map<String, NDArray> state(double[] w1, double[] b1, double[] w2, double b2) {
        Map<String, NDArray> s = new LinkedHashMap<>();
        s.put("w1", manager.create(toFloat(w1), new Shape(HIDDEN, 1)));
        s.put("b1", manager.create(toFloat(b1), new Shape(HIDDEN)));
        s.put("w2", manager.create(toFloat(w2), new Shape(1, HIDDEN)));
        s.put("b2", manager.create(new float[] {(float) b2}, new Shape(1)));
        for (String name : List.of("w1", "b1", "w2", "b2")) {
            s.put("momentum-" + name, s.get(name).zerosLike());
        }
        return s;
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static double[] random(Random random, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    @Test
    void weightsAreTheNormalisedSigmoidOfTheMlp() {
        Random random = new Random(2);
        double[] w1 = random(random, HIDDEN);
        double[] b1 = random(random, HIDDEN);
        double[] w2 = random(random, HIDDEN);
        double b2 = 0.3;
        double[] losses = {0.1, 0.5, 2.0, 4.5, 0.0, 1.2};
        try (MetaWeightNet method = method()) {
            method.restoreState(state(w1, b1, w2, b2));
            float[] got = method.weights(manager.create(toFloat(losses))).toFloatArray();
            double[] raw = new double[losses.length];
            double sum = 0;
            for (int i = 0; i < losses.length; i++) {
                double out = b2;
                for (int h = 0; h < HIDDEN; h++) {
                    out += w2[h] * Math.max(0, w1[h] * losses[i] + b1[h]);
                }
                raw[i] = 1 / (1 + Math.exp(-out));
                sum += raw[i];
            }
            for (int i = 0; i < losses.length; i++) {
                assertThat((double) got[i]).isCloseTo(raw[i] / sum, within(1e-6));
            }
        }
    }

    @Test
    void updateIsNesterovSgdWithWeightDecayAsTorchOptimSgd() {
        try (MetaWeightNet method = method()) {
            List<NDArray> parameters = method.parameters(Device.cpu());
            assertThat(parameters).extracting(NDArray::getShape)
                    .containsExactly(new Shape(HIDDEN, 1), new Shape(HIDDEN), new Shape(1, HIDDEN), new Shape(1));
            float[][] before = parameters.stream().map(NDArray::toFloatArray).toArray(float[][]::new);
            for (int step = 0; step < 2; step++) {
                // gradient of Σ_k 2·sum(p_k) is 2 everywhere
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray total = manager.zeros(new Shape());
                    for (NDArray p : parameters) {
                        total = total.add(p.sum().mul(2f));
                    }
                    collector.backward(total);
                }
                try (GradMode off = GradMode.disabled()) {
                    method.update();
                }
                for (NDArray p : parameters) {
                    p.getGradient().subi(p.getGradient());
                }
            }
            // torch.optim.SGD(lr 0.1, momentum 0.9, nesterov, weight_decay 0.01), two steps with g = 2
            for (int k = 0; k < parameters.size(); k++) {
                float[] after = parameters.get(k).toFloatArray();
                for (int j = 0; j < after.length; j++) {
                    double p = before[k][j];
                    double d = 2 + 0.01 * p;
                    double buf = d;
                    p -= 0.1 * (d + 0.9 * buf);
                    d = 2 + 0.01 * p;
                    buf = 0.9 * buf + d;
                    p -= 0.1 * (d + 0.9 * buf);
                    assertThat((double) after[j]).isCloseTo(p, within(1e-5));
                }
            }
        }
    }

    @Test
    void stateRoundTripsAndWrongStateIsNamed() {
        try (MetaWeightNet a = method(); MetaWeightNet b = method()) {
            a.parameters(Device.cpu());
            Map<String, NDArray> saved = new LinkedHashMap<>();
            a.state().forEach((k, v) -> saved.put(k, v.duplicate()));
            assertThat(saved).containsKeys("w1", "b1", "w2", "b2", "momentum-w1", "momentum-b2");
            b.restoreState(saved);
            NDArray losses = manager.create(new float[] {0.2f, 1.5f, 3f});
            assertThat(b.weights(losses).toFloatArray()).containsExactly(a.weights(losses).toFloatArray());
            assertThatThrownBy(() -> b.restoreState(Map.of("centers", manager.zeros(new Shape(2, 2)))))
                    .isInstanceOf(LplException.class).hasMessageContaining("meta-weight-net state lacks 'w1'");
            MetaWeightNet wider = new MetaWeightNet(HIDDEN + 1, 0.1, 0.9, true, 0.01, 10, 100);
            assertThatThrownBy(() -> wider.restoreState(saved))
                    .isInstanceOf(LplException.class).hasMessageContaining("hidden units");
        }
    }
}
