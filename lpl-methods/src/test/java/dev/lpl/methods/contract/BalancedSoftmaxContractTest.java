package dev.lpl.methods.contract;

import ai.djl.ndarray.NDArray;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.contract.PerturbationContract;
import java.util.Arrays;

/** Balanced Softmax (Ren et al., NeurIPS 2020). */
class BalancedSoftmaxContractTest extends PerturbationContract {

    @Override
    protected Perturbation create() {
        return Configured.perturbation("method.type=balanced-softmax");
    }

    /**
     * Balanced Softmax has no magnitude option: its shift is {@code log n_c}, which is zero when
     * every class has one training sample. The method is run on the contract's view with the counts
     * replaced by ones.
     */
    @Override
    protected Perturbation createWithZeroMagnitude() {
        Perturbation method = create();
        return new Perturbation() {
            @Override
            public NDArray perturb(NDArray logits, NDArray labels, TrainingView view) {
                long[] ones = new long[view.numClasses()];
                Arrays.fill(ones, 1);
                return method.perturb(logits, labels,
                        new TrainingView(ones, view.epoch(), view.totalEpochs(), view.manager()));
            }

            @Override
            public void close() {
                method.close();
            }
        };
    }
}
