package dev.lpl.core.train;

import ai.djl.Device;
import dev.lpl.api.training.Backend;

/** The built-in backends. */
public final class Backends {

    private Backends() {}

    /**
     * Always the CPU.
     *
     * @return the backend
     */
    public static Backend cpu() {
        return engine -> Device.cpu();
    }

    /**
     * The first GPU the engine reports, else the CPU.
     *
     * @return the backend
     */
    public static Backend auto() {
        return engine -> engine.getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
    }
}
