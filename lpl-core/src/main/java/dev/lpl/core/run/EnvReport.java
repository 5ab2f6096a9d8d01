package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Platform;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import dev.lpl.core.train.CpuFeatures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user pastes into a bug report ({@code lpl env}): lpl's and Java's versions, the operating
 * system, the engine and where its native library came from, the devices and what {@code
 * training.backend} resolves to, the engine's threads, the CPU's instruction sets, the C allocator's
 * tuning and the offline switches.
 *
 * <p>The report is a map of sections ({@code lpl}, {@code java}, {@code os}, {@code engine}, {@code
 * devices}, {@code threads}, {@code cpu}, {@code allocator}, {@code offline}), each a map of keys to
 * strings, numbers or {@code null} (not known, or not set), in a fixed order: {@link #sections()}
 * for JSON, {@link #text()} for people.
 *
 * <p>Where the engine cannot start (e.g. its native library is missing), the report still says
 * everything else, and {@code engine.error} says why; it never throws for that reason.
 *
 * <p>The native library: DJL's PyTorch engine takes it from {@code PYTORCH_LIBRARY_PATH} (environment
 * variable or system property) when set; otherwise it extracts the libraries of the {@code
 * pytorch-native-*} jar on the class path into its cache ({@code ~/.djl.ai/pytorch}, or {@code
 * ENGINE_CACHE_DIR} / {@code DJL_CACHE_DIR}), or, without such a jar, downloads them there (which
 * lpl's offline switch forbids) — {@code LibUtils} in DJL 0.36.
 */
public final class EnvReport {

    /** The switches that keep DJL from phoning home, in the order reported. */
    static final List<String> OFFLINE_SWITCHES = List.of("OPT_OUT_TRACKING", "DJL_OFFLINE", "ai.djl.offline");

    private final Map<String, Map<String, Object>> sections;

    private EnvReport(Map<String, Map<String, Object>> sections) {
        this.sections = sections;
    }

    /**
     * Starts the session's engine (if it did not run yet) and collects the report.
     *
     * @param session the engine session of the configuration ({@code training.backend}, {@code
     *     training.threads})
     * @return the report
     */
    public static EnvReport collect(EngineSession session) {
        requireNonNull(session, "session is null");
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        sections.put("lpl", ordered("version", Provenance.lplVersion()));
        sections.put("java", ordered(
                "version", System.getProperty("java.version"),
                "vendor", System.getProperty("java.vendor"),
                "vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                "home", System.getProperty("java.home")));
        sections.put("os", ordered(
                "name", System.getProperty("os.name"),
                "version", System.getProperty("os.version"),
                "arch", System.getProperty("os.arch"),
                "cpus", Runtime.getRuntime().availableProcessors()));
        Map<String, Object> engine = ordered("name", null, "version", null, "djl_version", Engine.getDjlVersion(),
                "library", null, "library_source", null, "cache_dir", Utils.getEngineCacheDir("pytorch").toString());
        Map<String, Object> devices = ordered("gpus", null, "cuda", null, "default", null,
                "backend", session.backendName(), "backend_device", null);
        Map<String, Object> threads = ordered("intra_op", null, "inter_op", null,
                "training_threads", session.threads());
        sections.put("engine", engine);
        sections.put("devices", devices);
        sections.put("threads", threads);
        try {
            session.start();
            Engine started = session.engine();
            engine.put("name", started.getEngineName());
            engine.put("version", started.getVersion());
            int gpus = started.getGpuCount();
            devices.put("gpus", gpus);
            devices.put("cuda", gpus > 0 ? CudaUtils.getCudaVersionString() : null);
            devices.put("default", describe(started.defaultDevice()));
            devices.put("backend_device", describe(session.device()));
            if (PtEngine.ENGINE_NAME.equals(started.getEngineName())) {
                String library = LibUtils.getLibtorchPath();
                engine.put("library", library);
                engine.put("library_source", librarySource());
                threads.put("intra_op", JniUtils.getNumThreads());
                threads.put("inter_op", JniUtils.getNumInteropThreads());
            }
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            engine.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
        }
        sections.put("cpu", ordered("features", CpuFeatures.detect().summary()));
        sections.put("allocator", ordered("tuning", NativeAllocator.tune().orElse(null)));
        Map<String, Object> offline = new LinkedHashMap<>();
        for (String name : OFFLINE_SWITCHES) {
            offline.put(name, Utils.getEnvOrSystemProperty(name));
        }
        sections.put("offline", offline);
        return new EnvReport(sections);
    }

    /** Where DJL took the PyTorch library from, as {@code LibUtils} decides it. */
    private static String librarySource() {
        if (Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH") != null) {
            return "PYTORCH_LIBRARY_PATH";
        }
        String version = Utils.getEnvOrSystemProperty("PYTORCH_VERSION");
        Platform platform = Platform.detectPlatform("pytorch");
        if (platform.isPlaceholder()
                || version != null && !version.isEmpty() && !platform.getVersion().startsWith(version)) {
            return "downloaded into DJL's cache";
        }
        return "extracted into DJL's cache from the pytorch-native jar (" + platform.getFlavor() + ", "
                + platform.getClassifier() + ")";
    }

    private static String describe(Device device) {
        return device == null ? null : device.toString();
    }

    /** A map of the given keys and values, in that order (values may be null). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /**
     * Returns the report's sections, for JSON.
     *
     * @return section name to its keys and values, in report order (unmodifiable)
     */
    public Map<String, Map<String, Object>> sections() {
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        sections.forEach((name, values) -> copy.put(name, Collections.unmodifiableMap(values)));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Returns the report as aligned lines, {@code <section> <key>  <value>}, {@code not set} for a
     * value that is absent.
     *
     * @return the text, one line per key, each ending with a line break
     */
    public String text() {
        List<String[]> rows = new ArrayList<>();
        sections.forEach((section, values) -> values.forEach((key, value) -> {
            if (value != null || !key.equals("error") && !key.equals("cuda")) {
                rows.add(new String[] {label(section, key), value == null ? "not set" : value.toString()});
            }
        }));
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            out.append(row[0]).append(" ".repeat(width - row[0].length() + 2)).append(row[1]).append('\n');
        }
        return out.toString();
    }

    private static String label(String section, String key) {
        if (section.equals("offline")) {
            return section + " " + key; // the variable's own name
        }
        if (key.equals("training_threads")) {
            return "threads training.threads";
        }
        return section + " " + key.replace('_', ' ');
    }
}
