package dev.lpl.methods.contract;

import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.contract.PerturbationContract;

/** DisturbLabel with alpha = 0.5 (the logits never change; the targets do). */
class DisturbLabelContractTest extends PerturbationContract {

    @Override
    protected Perturbation create() {
        return Configured.perturbation("method.type=disturb-label", "method.disturb-label.alpha=0.5");
    }

    @Override
    protected Perturbation createWithZeroMagnitude() {
        return Configured.perturbation("method.type=disturb-label", "method.disturb-label.alpha=0");
    }
}
