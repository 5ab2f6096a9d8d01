package dev.lpl.api.training;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Chooses the device a run trains on. */
public interface Backend {

    /**
     * Returns the device to train on.
     *
     * @param engine the deep-learning engine in use
     * @return the device
     */
    Device device(Engine engine);
}
