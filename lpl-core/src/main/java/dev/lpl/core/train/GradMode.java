package dev.lpl.core.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Switches autograd off for a block of code (PyTorch's {@code torch.no_grad()}), restoring the
 * previous mode when closed.
 *
 * <p>DJL has no engine-neutral switch: outside a {@code GradientCollector} PyTorch keeps whatever
 * grad mode the thread had, and a thread starts with it on; DJL's collector restores the previous
 * mode when it closes, so after the first training step the mode is still on. Evaluation without
 * this would record an autograd graph for every forward pass (time and memory for nothing). For
 * engines other than PyTorch this is a no-op.
 */
public final class GradMode implements AutoCloseable {

    private final boolean pytorch;
    private final boolean previous;

    private GradMode(boolean pytorch, boolean previous) {
        this.pytorch = pytorch;
        this.previous = previous;
    }

    /**
     * Turns autograd off on this thread until {@link #close()}.
     *
     * @return the scope to close (try-with-resources)
     */
    public static GradMode disabled() {
        return set(false);
    }

    /**
     * Sets autograd on or off on this thread until {@link #close()} (on: for benchmarks that show
     * what recording costs).
     *
     * @param enabled the mode
     * @return the scope to close (try-with-resources)
     */
    public static GradMode set(boolean enabled) {
        if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
            return new GradMode(false, false);
        }
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
        return new GradMode(true, previous);
    }

    /** @return whether autograd records operations on this thread (false for engines other than PyTorch) */
    public static boolean enabled() {
        return "PyTorch".equals(Engine.getInstance().getEngineName()) && JniUtils.isGradMode();
    }

    @Override
    public void close() {
        if (pytorch) {
            JniUtils.setGradMode(previous);
        }
    }
}
