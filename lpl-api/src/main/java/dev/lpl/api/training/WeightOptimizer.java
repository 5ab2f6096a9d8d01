package dev.lpl.api.training;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import java.util.Map;

/**
 * The optimizer of the network weights: a DJL {@link Optimizer} whose learning rate is set by the
 * training loop at every step (from a {@link LearningRateSchedule}) and whose state (e.g. momentum
 * buffers) can be read and restored by parameter name, so it is checkpointed with the weights.
 *
 * <p>The loop calls {@link #update} once per trainable parameter and step. An implementation must
 * zero the parameter's gradient after using it (as PyTorch's optimizers do in DJL), keep its state
 * on the parameter's device, and free every temporary it creates.
 */
public abstract class WeightOptimizer extends Optimizer {

    /**
     * Creates the optimizer.
     *
     * @param builder DJL's builder (rescale, clipping); weight decay is the subclass's own
     */
    protected WeightOptimizer(OptimizerBuilder<?> builder) {
        super(builder);
    }

    /**
     * Returns the configured base learning rate, which the schedule multiplies.
     *
     * @return the base learning rate
     */
    public abstract double baseLearningRate();

    /**
     * Sets the learning rate of the following updates.
     *
     * @param learningRate the learning rate
     */
    public abstract void setLearningRate(double learningRate);

    /**
     * Returns the learning rate of the following updates.
     *
     * @return the learning rate
     */
    public abstract double learningRate();

    /**
     * Returns the optimizer's state arrays by parameter id (e.g. momentum buffers), for
     * checkpoints. The arrays are the live state, not copies.
     *
     * @return state by parameter id
     */
    public abstract Map<String, NDArray> state();

    /**
     * Restores state saved from {@link #state()}: values are copied into new arrays on the
     * parameters' device, replacing the current state.
     *
     * @param stateById saved arrays by parameter id (the ids of the network being trained)
     */
    public abstract void restoreState(Map<String, NDArray> stateById);

    /**
     * Updates one parameter in place and zeroes its gradient.
     *
     * @param parameterId the parameter's id
     * @param weight the parameter's values, updated in place
     * @param grad the gradient of the loss with respect to {@code weight}
     */
    @Override
    public abstract void update(String parameterId, NDArray weight, NDArray grad);
}
