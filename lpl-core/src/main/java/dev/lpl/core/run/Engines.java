package dev.lpl.core.run;

import ai.djl.engine.Engine;

/**
 * Starts the deep-learning engine with lpl's settings: offline (DJL must never phone home), the
 * configured number of intra-op threads and one inter-op thread, and the C allocator kept from
 * returning tensor memory to the kernel between passes ({@link NativeAllocator}). Thread settings
 * are read by the engine when it starts, so this must run before anything else touches DJL.
 */
public final class Engines {

    private Engines() {}

    /**
     * Applies the settings that must precede the engine's start, without starting it.
     *
     * @param threads intra-op threads, 0 for the engine's default
     */
    public static void configure(int threads) {
        NativeAllocator.tune();
        System.setProperty("ai.djl.offline", "true");
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /**
     * Starts (or returns) the engine.
     *
     * @return the engine
     */
    public static Engine start() {
        return Engine.getInstance();
    }
}
