package dev.lpl.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Checks the update against torch.optim.SGD's formulas, evaluated by hand below. */
class PyTorchSgdTest {

    private static final double WD = 0.01;
    private static final double M = 0.9;

    @Test
    void momentumUpdateMatchesTorchAndAnLrDropTakesEffectAtOnce() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {1f, -2f});
            w.setRequiresGradient(true);
            PyTorchSgd sgd = new PyTorchSgd(0.1, M, false, WD);
            sgd.update("w", w, manager.create(new float[] {0.5f, 0.1f}));
            // d = g + wd w = [0.51, 0.08]; buf = d; w -= 0.1 buf
            assertThat(w.toFloatArray()).containsExactly(new float[] {0.949f, -2.008f}, within(1e-6f));
            sgd.setLearningRate(0.01);
            sgd.update("w", w, manager.create(new float[] {-0.2f, 0.3f}));
            double d0 = -0.2 + WD * 0.949;
            double d1 = 0.3 + WD * -2.008;
            double b0 = M * 0.51 + d0;
            double b1 = M * 0.08 + d1;
            assertThat(w.toFloatArray()).containsExactly(
                    new float[] {(float) (0.949 - 0.01 * b0), (float) (-2.008 - 0.01 * b1)}, within(1e-6f));
            assertThat(sgd.state()).containsKey("w");
            assertThat(sgd.state().get("w").toFloatArray())
                    .containsExactly(new float[] {(float) b0, (float) b1}, within(1e-6f));
        }
    }

    @Test
    void nesterovAddsTheMomentumLookAhead() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {1f, -2f});
            w.setRequiresGradient(true);
            PyTorchSgd sgd = new PyTorchSgd(0.1, M, true, WD);
            sgd.update("w", w, manager.create(new float[] {0.5f, 0.1f}));
            // d = [0.51, 0.08]; buf = d; d + m buf = 1.9 d
            assertThat(w.toFloatArray()).containsExactly(
                    new float[] {(float) (1 - 0.1 * 1.9 * 0.51), (float) (-2 - 0.1 * 1.9 * 0.08)}, within(1e-6f));
        }
    }

    @Test
    void plainSgdWithoutMomentumOrDecay() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {3f});
            w.setRequiresGradient(true);
            PyTorchSgd sgd = new PyTorchSgd(0.5, 0, false, 0);
            sgd.update("w", w, manager.create(new float[] {2f}));
            assertThat(w.getFloat()).isEqualTo(2f);
            assertThat(sgd.state()).isEmpty();
        }
    }
}
