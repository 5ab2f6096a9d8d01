package dev.lpl.methods.contract;

import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.contract.PerturbationContract;

/** LPL with its long-tail defaults (fixed-index split, varied-longtail bounds, PGD). */
class LplContractTest extends PerturbationContract {

    @Override
    protected Perturbation create() {
        return Configured.perturbation("method.type=lpl");
    }

    @Override
    protected Perturbation createWithZeroMagnitude() {
        return Configured.perturbation("method.type=lpl",
                "method.lpl.bound.varied-longtail.delta-epsilon-head=0",
                "method.lpl.bound.varied-longtail.delta-epsilon-tail=0");
    }
}
