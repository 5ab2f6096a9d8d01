package dev.lpl.methods.contract;

import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.contract.PerturbationContract;

/** L-Softmax with lambda = 0 (base 0: the full margin m = 2); zero magnitude is m = 1 (plain softmax). */
class LsoftmaxContractTest extends PerturbationContract {

    @Override
    protected Perturbation create() {
        return Configured.perturbation("method.type=lsoftmax", "method.lsoftmax.base=0");
    }

    @Override
    protected Perturbation createWithZeroMagnitude() {
        return Configured.perturbation("method.type=lsoftmax", "method.lsoftmax.margin=1");
    }

    @Override
    protected boolean detachedDelta() {
        return false;
    }

    @Override
    protected boolean isAdditivePerClass() {
        return false;
    }
}
