package dev.lpl.methods.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.contract.PerturbationContract;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Logit adjustment in post-hoc mode: training is plain cross-entropy, so perturb is the identity. */
class LogitAdjustmentPostHocContractTest extends PerturbationContract {

    @Override
    protected Perturbation create() {
        return Configured.perturbation("method.type=la", "method.la.mode=post-hoc");
    }

    @Override
    protected Perturbation createWithZeroMagnitude() {
        return create();
    }

    @Test
    void perturbIsTheIdentity() {
        try (Perturbation p = create()) {
            NDArray u = logits(new SplittableRandom(11), 16, 10, 2);
            assertThat(p.perturb(u, labels(16, 10), view(10, 16, 11))).isSameAs(u);
        }
    }
}
