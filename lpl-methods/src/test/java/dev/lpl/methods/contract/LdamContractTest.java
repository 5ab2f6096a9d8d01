package dev.lpl.methods.contract;

import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.contract.PerturbationContract;

/** LDAM (Cao et al., NeurIPS 2019): margins on the true-class logit, every logit scaled by s = 30. */
class LdamContractTest extends PerturbationContract {

    @Override
    protected Perturbation create() {
        return Configured.perturbation("method.type=ldam");
    }

    @Override
    protected Perturbation createWithZeroMagnitude() {
        return Configured.perturbation("method.type=ldam", "method.ldam.max-margin=0");
    }

    @Override
    protected double logitScale() {
        return 30.0;
    }
}
