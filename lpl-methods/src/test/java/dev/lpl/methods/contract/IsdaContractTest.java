package dev.lpl.methods.contract;

import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.contract.PerturbationContract;

/** ISDA with its defaults (λ₀ = 0.5, at epoch 5 of 10 in the contract's views). */
class IsdaContractTest extends PerturbationContract {

    @Override
    protected Perturbation create() {
        return Configured.perturbation("method.type=isda");
    }

    @Override
    protected Perturbation createWithZeroMagnitude() {
        return Configured.perturbation("method.type=isda", "method.isda.lambda=0");
    }
}
