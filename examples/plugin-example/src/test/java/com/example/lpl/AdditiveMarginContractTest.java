package com.example.lpl;

import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.contract.PerturbationContract;

/**
 * The contract every method meets (lpl-core's test-jar), run on {@code additive-margin} as a run
 * creates it: found on the class path, defaults from this plugin's {@code reference.conf}.
 */
class AdditiveMarginContractTest extends PerturbationContract {

    @Override
    protected Perturbation create() {
        return Configured.perturbation("method.type=additive-margin");
    }

    @Override
    protected Perturbation createWithZeroMagnitude() {
        return Configured.perturbation("method.type=additive-margin", "method.additive-margin.margin=0");
    }
}
