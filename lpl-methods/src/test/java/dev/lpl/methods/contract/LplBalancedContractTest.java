package dev.lpl.methods.contract;

import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.contract.PerturbationContract;

/** LPL with its balanced-data settings (mean split, varied-balanced bounds). */
class LplBalancedContractTest extends PerturbationContract {

    @Override
    protected Perturbation create() {
        return Configured.perturbation("method.type=lpl", "method.lpl.split.type=mean",
                "method.lpl.bound.type=varied-balanced", "method.lpl.optimizer.pgd.alpha=0.01");
    }

    @Override
    protected Perturbation createWithZeroMagnitude() {
        return Configured.perturbation("method.type=lpl", "method.lpl.split.type=mean",
                "method.lpl.bound.type=fixed", "method.lpl.bound.fixed.epsilon=0");
    }
}
