package dev.lpl.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.perturbation.TrainingView;
import org.junit.jupiter.api.Test;

class MethodObjectiveTest {

    @Test
    void crossEntropyOfPerturbedLogitsByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {1f, 2f, 0f, 0.5f, -1f, 3f}, new Shape(2, 3));
            NDArray labels = manager.create(new long[] {1, 2});
            // A perturbation that adds +1 to the true-class logit of every sample.
            MethodObjective objective = new MethodObjective((u, y, view) -> u.add(y.oneHot(3)));
            MethodObjective.Result r = objective.compute(logits, labels,
                    new TrainingView(new long[] {1, 1, 1}, 0, 1, manager));
            double l0 = -(3 - Math.log(Math.exp(1) + Math.exp(3) + Math.exp(0)));
            double l1 = -(4 - Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(4)));
            assertThat(r.loss().getFloat()).isCloseTo((float) ((l0 + l1) / 2), within(1e-5f));
            assertThat(r.perturbedLogits().toFloatArray()).containsExactly(1f, 3f, 0f, 0.5f, -1f, 4f);
        }
    }

    @Test
    void classWeightsGiveTheWeightedMean() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {1f, 2f, 0f, 0.5f, -1f, 3f, 0f, 0f, 0f}, new Shape(3, 3));
            NDArray labels = manager.create(new long[] {1, 2, 0});
            MethodObjective objective = new MethodObjective((u, y, view) -> u, CrossEntropyLoss.INSTANCE,
                    (counts, epoch, total) -> java.util.Optional.of(new float[] {0.5f, 2f, 1f}));
            float loss = objective.compute(logits, labels, new TrainingView(new long[] {1, 1, 1}, 0, 1, manager))
                    .loss().getFloat();
            double l0 = -(2 - Math.log(Math.exp(1) + Math.exp(2) + 1));
            double l1 = -(3 - Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(3)));
            double l2 = -(0 - Math.log(3));
            assertThat(loss).isCloseTo((float) ((2 * l0 + 1 * l1 + 0.5 * l2) / 3.5), within(1e-5f));
        }
    }

    @Test
    void crossEntropyIsStableForExtremeLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {1e4f, -1e4f}, new Shape(1, 2));
            assertThat(MethodObjective.crossEntropy(logits, manager.create(new long[] {1})).getFloat())
                    .isCloseTo(2e4f, within(1f));
        }
    }
}
