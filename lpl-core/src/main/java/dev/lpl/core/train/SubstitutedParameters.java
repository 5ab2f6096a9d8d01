package dev.lpl.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;

/**
 * A parameter store that hands out given arrays (by parameter id) instead of the parameters' own:
 * a network's forward pass at other weights (Meta-Weight-Net's virtual weights) without touching
 * the network.
 */
final class SubstitutedParameters extends ParameterStore {

    private final Map<String, NDArray> values;

    /**
     * Creates the store.
     *
     * @param manager the manager of the step
     * @param values the arrays to hand out, by {@link Parameter#getId()}; parameters not in it get their own
     */
    SubstitutedParameters(NDManager manager, Map<String, NDArray> values) {
        super(manager, false);
        this.values = values;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray value = parameter == null ? null : values.get(parameter.getId()); // null: an absent bias
        return value != null ? value : super.getValue(parameter, device, training);
    }
}
