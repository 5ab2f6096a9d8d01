package dev.lpl.core.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) exactly as {@code
 * torch.optim.Adam} without weight decay or AMSGrad: with t the step count,
 *
 * <pre>
 * m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,
 * θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 * </pre>
 *
 * The moments (by parameter name) and t are its whole state, saved in a GAN run's checkpoints so
 * that a resumed run continues exactly. The gradient is reset to zero after each update.
 */
public final class Adam {

    /** The state key of the step count (a one-element array). */
    static final String STEP = "__step__";

    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long step;

    /**
     * Creates the optimizer.
     *
     * @param learningRate lr
     * @param beta1 β₁
     * @param beta2 β₂
     * @param epsilon ε (1e-8 in PyTorch)
     */
    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this.learningRate = (float) learningRate;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
    }

    /** Counts one step; call once before the updates of a step's parameters. */
    public void beginStep() {
        step++;
    }

    /** @return the number of steps taken */
    public long steps() {
        return step;
    }

    /**
     * Updates one parameter in place from its gradient and zeroes the gradient.
     *
     * @param name the parameter's name (the key of its moments)
     * @param weight the parameter
     * @param grad its gradient
     * @param manager the long-lived manager the moments live on
     */
    public void update(String name, NDArray weight, NDArray grad, NDManager manager) {
        NDArray m = first.get(name);
        NDArray v = second.get(name);
        if (m == null) {
            m = manager.zeros(weight.getShape());
            v = manager.zeros(weight.getShape());
            NDScope.unregister(m, v);
            first.put(name, m);
            second.put(name, v);
        }
        m.muli(beta1).addi(grad.mul(1 - beta1));
        v.muli(beta2).addi(grad.square().muli(1 - beta2));
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        NDArray denominator = v.div((float) correction2).sqrt().addi(epsilon);
        weight.subi(m.div(denominator).muli((float) (learningRate / correction1)));
        grad.subi(grad);
    }

    /**
     * Returns the state: {@code m.NAME}, {@code v.NAME} and the step count.
     *
     * @param manager where the step count's array is made
     * @return the arrays by name (live views: encode before the next update)
     */
    public Map<String, NDArray> state(NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        first.forEach((k, a) -> out.put("m." + k, a));
        second.forEach((k, a) -> out.put("v." + k, a));
        out.put(STEP, manager.create(new long[] {step}));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Restores a state written by {@link #state}.
     *
     * @param saved the arrays by name
     * @param manager the long-lived manager the moments live on
     */
    public void restore(Map<String, NDArray> saved, NDManager manager) {
        first.values().forEach(NDArray::close);
        second.values().forEach(NDArray::close);
        first.clear();
        second.clear();
        step = 0;
        saved.forEach((name, array) -> {
            if (name.equals(STEP)) {
                step = array.toLongArray()[0];
                return;
            }
            NDArray copy = manager.zeros(array.getShape());
            copy.set(new NDIndex("..."), array);
            NDScope.unregister(copy);
            if (name.startsWith("m.")) {
                first.put(name.substring(2), copy);
            } else if (name.startsWith("v.")) {
                second.put(name.substring(2), copy);
            } else {
                copy.close();
                throw new IllegalArgumentException("unknown Adam state " + name);
            }
        });
    }
}
