package dev.lpl.methods.contract;

import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.contract.PerturbationContract;

/** LA + LPL differentiating through its inner loop ({@code detach = false}). */
class LaLplThroughTheLoopContractTest extends PerturbationContract {

    @Override
    protected Perturbation create() {
        return Configured.perturbation("method.type=la+lpl", "method.lpl.detach=false");
    }

    @Override
    protected Perturbation createWithZeroMagnitude() {
        return Configured.perturbation("method.type=la+lpl", "method.lpl.detach=false",
                "method.lpl.logit-adjustment=0",
                "method.lpl.bound.varied-longtail.delta-epsilon-head=0",
                "method.lpl.bound.varied-longtail.delta-epsilon-tail=0");
    }

    @Override
    protected boolean detachedDelta() {
        return false;
    }
}
