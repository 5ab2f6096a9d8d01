package dev.lpl.jmh;

import dev.lpl.core.run.EngineSession;

/**
 * What the benchmarks' forked JVMs set before anything touches DJL, so that {@code java -jar
 * benchmarks.jar} needs no flags: offline (DJL must never phone home, as in the tests'
 * {@code DJL_OFFLINE=true} and {@code OPT_OUT_TRACKING=true}), slf4j-simple at {@code warn} so the
 * engine's start-up messages do not interleave with JMH's output, and lpl's engine settings
 * ({@link EngineSession#start}: the given number of intra-op threads, one inter-op thread). The engine
 * reads them once, when it starts: each trial's forked JVM starts its own.
 */
final class JmhEnvironment {

    private JmhEnvironment() {}

    /** Applies the settings; idempotent, and a value already given on the command line is kept. */
    static void offline() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("DJL_OFFLINE", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /**
     * Applies {@link #offline()} and lpl's engine settings, then starts the engine.
     *
     * @param threads PyTorch intra-op threads ({@code training.threads}); 0 for the engine's
     *     default (all cores, or {@code -Dai.djl.pytorch.num_threads})
     */
    static void startEngine(int threads) {
        offline();
        EngineSession.withThreads(threads).start();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
