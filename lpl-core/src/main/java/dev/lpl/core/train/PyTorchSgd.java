package dev.lpl.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.lpl.api.training.WeightOptimizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with exactly the semantics of {@code torch.optim.SGD} (dampening 0),
 * which the reference implementations of every method use ({@code docs/methods.md#training-recipes}):
 *
 * <pre>
 *   d   = g + wd·w
 *   buf = m·buf + d            (buf = d at the first step)
 *   d   = d + m·buf  (Nesterov)   or   d = buf
 *   w  -= lr·d
 * </pre>
 *
 * <p>Unlike DJL's {@code Sgd}, the learning rate is not folded into the momentum buffer (so an lr
 * drop takes effect at once, as in PyTorch), Nesterov momentum is supported, and the buffers are
 * exposed for checkpoints. The gradient is zeroed after the update.
 */
public final class PyTorchSgd extends WeightOptimizer {

    private final double baseLearningRate;
    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private final Map<String, NDArray> buffers = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile double learningRate;

    /**
     * Creates the optimizer.
     *
     * @param learningRate the base learning rate
     * @param momentum the momentum m in [0, 1)
     * @param nesterov whether to use Nesterov momentum (needs m &gt; 0)
     * @param weightDecay the L2 coefficient wd, applied to every parameter
     */
    public PyTorchSgd(double learningRate, double momentum, boolean nesterov, double weightDecay) {
        super(new OptimizerBuilder<>() {
            @Override
            protected OptimizerBuilder<?> self() {
                return this;
            }
        });
        if (nesterov && momentum <= 0) {
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0");
        }
        this.baseLearningRate = learningRate;
        this.learningRate = learningRate;
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
        this.weightDecay = (float) weightDecay;
    }

    @Override
    public double baseLearningRate() {
        return baseLearningRate;
    }

    @Override
    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public Map<String, NDArray> state() {
        synchronized (buffers) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
        }
    }

    @Override
    public void restoreState(Map<String, NDArray> stateById) {
        synchronized (buffers) {
            buffers.values().forEach(NDArray::close);
            buffers.clear();
            stateById.forEach((id, saved) -> {
                NDArray copy = saved.duplicate(); // on the saved array's manager: pass arrays of the model's
                NDScope.unregister(copy);
                buffers.put(id, copy);
            });
        }
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float lr = (float) learningRate;
        NDArray step = grad;
        if (weightDecay != 0f) {
            try (NDArray decay = weight.mul(weightDecay)) {
                step.addi(decay);
            }
        }
        if (momentum != 0f) {
            NDArray buffer = buffers.get(parameterId);
            if (buffer == null) {
                buffer = step.duplicate();
                NDScope.unregister(buffer); // lives as long as the optimizer, not the step
                buffers.put(parameterId, buffer);
            } else {
                buffer.muli(momentum).addi(step);
            }
            if (nesterov) {
                try (NDArray m = buffer.mul(momentum)) {
                    step.addi(m);
                }
            } else {
                step = buffer;
            }
        }
        try (NDArray delta = step.mul(lr)) {
            weight.subi(delta);
        }
        if (weight.hasGradient()) {
            try (NDArray g = weight.getGradient()) {
                g.subi(g);
            }
        }
    }
}
