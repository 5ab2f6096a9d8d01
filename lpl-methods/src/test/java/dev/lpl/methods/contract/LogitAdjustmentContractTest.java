package dev.lpl.methods.contract;

import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.contract.PerturbationContract;

/** Logit adjustment in loss mode (Menon et al., ICLR 2021, Eq. 10). */
class LogitAdjustmentContractTest extends PerturbationContract {

    @Override
    protected Perturbation create() {
        return Configured.perturbation("method.type=la");
    }

    @Override
    protected Perturbation createWithZeroMagnitude() {
        return Configured.perturbation("method.type=la", "method.la.tau=0");
    }
}
