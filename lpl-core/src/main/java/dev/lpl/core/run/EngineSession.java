package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.training.Backend;
import dev.lpl.core.config.StrictKeys;
import dev.lpl.core.plugin.PluginKind;
import dev.lpl.core.plugin.PluginRegistry;
import dev.lpl.core.train.Backends;

/**
 * The one place that starts the deep-learning engine: every command and run that computes with the
 * engine ({@code lpl train}, {@code lpl gan train}, {@code lpl bench}, {@code lpl models}, {@code
 * lpl loss}, {@code lpl eval/export/predict}, {@code lpl env}, the JMH benchmarks) goes through it,
 * so they all honour the same settings in the same way.
 *
 * <p>A session is made in two steps, so that a run can check its whole configuration before any
 * native work:
 *
 * <ol>
 *   <li>{@link #of(Settings, PluginRegistry)} resolves the backend ({@code training.backend}, created
 *       from its block {@code training.backends.<name>}; an unknown name is refused with the known
 *       names and the nearest match) and reads {@code training.threads}. Nothing native happens.
 *   <li>{@link #start()} applies what the engine reads once, when it starts (DJL offline: it must
 *       never phone home; the intra-op threads, 0 for the engine's default of all cores; one inter-op
 *       thread unless {@code -Dai.djl.pytorch.num_interop_threads} says otherwise; the C allocator's
 *       tuning, {@link NativeAllocator}), then starts the engine.
 * </ol>
 *
 * <p>The engine is a process-wide singleton: the settings of the first session to start it are the
 * ones it runs with, and a later session of the same process gets the same engine (its thread
 * settings are then ignored, as they always were). {@link #seed(long)} seeds the engine's random
 * number generator where a caller wants it seeded; {@link #device()} is the device the backend
 * chooses for this engine.
 *
 * <p>Not thread-safe: a session belongs to the code that made it.
 */
public final class EngineSession {

    /** The setting naming the backend. */
    public static final String BACKEND_KEY = "training.backend";

    private final String backendName;
    private final Backend backend;
    private final int threads;
    private Engine engine;
    private Device device;

    private EngineSession(String backendName, Backend backend, int threads) {
        this.backendName = requireNonNull(backendName, "backendName is null");
        this.backend = requireNonNull(backend, "backend is null");
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
        this.threads = threads;
    }

    /**
     * Resolves the backend and the thread count of a configuration, without starting the engine.
     *
     * @param root the whole configuration ({@code training.backend}, {@code training.backends},
     *     {@code training.threads})
     * @param registry the plugins, for the backend
     * @return the session, not started
     * @throws LplException on an unknown backend (with the nearest known name) or a
     *     thread count outside [0, 4096]
     */
    public static EngineSession of(Settings root, PluginRegistry registry) {
        requireNonNull(root, "root is null");
        requireNonNull(registry, "registry is null");
        Settings training = root.getSettings("training");
        String name = training.getString("backend");
        Backend backend = registry.get(PluginKind.BACKEND, name, BACKEND_KEY)
                .create(training.getSettings("backends").getSettings(StrictKeys.quoteIfNeeded(name)));
        return new EngineSession(name, backend, training.getInt("threads", 0, 4096));
    }

    /**
     * A session without a configuration, for code that has none (the JMH benchmarks, tests): the
     * built-in {@code auto} backend (the first GPU, else the CPU) and the given thread count.
     *
     * @param threads intra-op threads, 0 for the engine's default
     * @return the session, not started
     */
    public static EngineSession withThreads(int threads) {
        return new EngineSession("auto", Backends.auto(), threads);
    }

    /**
     * Applies the settings that must precede the engine's start and starts it (or, when another
     * session of this process already did, takes the running engine). Calling it again does nothing.
     *
     * @return this session
     */
    public EngineSession start() {
        if (engine == null) {
            configure(threads);
            engine = Engine.getInstance();
        }
        return this;
    }

    /**
     * Sets the system properties the engine reads when it starts, and tunes the C allocator.
     * Without effect on an engine that is already running (except the allocator's tuning, which is
     * once per process anyway).
     */
    private static void configure(int threads) {
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
     * Returns the started engine.
     *
     * @return the engine
     * @throws IllegalStateException before {@link #start()}
     */
    public Engine engine() {
        if (engine == null) {
            throw new IllegalStateException("the engine session is not started");
        }
        return engine;
    }

    /**
     * Seeds the engine's random number generator (initialisation, dropout, ...), as {@link
     * Engine#setRandomSeed} does with the low 32 bits of the seed.
     *
     * @param seed the seed, usually one derived with {@link Seeds#derive}
     * @return this session
     * @throws IllegalStateException before {@link #start()}
     */
    public EngineSession seed(long seed) {
        engine().setRandomSeed((int) seed);
        return this;
    }

    /**
     * Returns the device the backend chooses for the engine (asked once per session).
     *
     * @return the device to compute on
     * @throws IllegalStateException before {@link #start()}
     */
    public Device device() {
        if (device == null) {
            device = requireNonNull(backend.device(engine()), "backend " + backendName + " chose no device");
        }
        return device;
    }

    /**
     * Returns the backend's name ({@code training.backend}).
     *
     * @return the name
     */
    public String backendName() {
        return backendName;
    }

    /**
     * Returns the intra-op threads asked for ({@code training.threads}; 0 for the engine's default).
     *
     * @return the thread count
     */
    public int threads() {
        return threads;
    }
}
