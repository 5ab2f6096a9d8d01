package dev.lpl.runner;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.lpl.api.LplException;
import dev.lpl.core.config.ConfigLoader;
import dev.lpl.core.config.RunConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The experiment presets bundled with the runner: the HOCON experiment files of the repository's
 * {@code presets/} directory, packaged as class-path resources {@code presets/<name>.conf} (shared
 * recipe files in {@code presets/recipes/}, included relative to the preset, which Typesafe
 * Config resolves on the class path). {@code -c NAME} of every command that takes a configuration
 * ({@link ConfigOptions}: {@code lpl train}, {@code lpl data describe}, ...) loads one when {@code
 * NAME} is not an existing file and has no directory part; {@code lpl presets} lists them. A
 * preset's description is its first comment line.
 */
final class ExperimentPresets {

    /** The class-path directory of the presets. */
    static final String DIRECTORY = "presets/";

    /** A resource every bundle of presets has, used to find the directory on the class path. */
    static final String MARKER = DIRECTORY + "README.md";

    /** The class-path directory of the bundled sweep files (the repository's {@code presets/sweeps/}). */
    static final String SWEEPS = DIRECTORY + "sweeps/";

    private static final String SUFFIX = ".conf";

    /**
     * One bundled preset.
     *
     * @param name its name, the file name without {@code .conf}
     * @param description its first comment line
     * @param resource the class-path resource
     */
    record Preset(String name, String description, String resource) {}

    private final ClassLoader classLoader;
    private final String directory;

    /**
     * Creates the view of the presets visible to a class loader.
     *
     * @param classLoader the class loader holding {@code presets/}
     */
    ExperimentPresets(ClassLoader classLoader) {
        this(classLoader, DIRECTORY);
    }

    private ExperimentPresets(ClassLoader classLoader, String directory) {
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
        this.directory = directory;
    }

    /**
     * Returns the presets bundled with the runner.
     *
     * @return the presets of the runner's class loader
     */
    static ExperimentPresets bundled() {
        return new ExperimentPresets(ExperimentPresets.class.getClassLoader());
    }

    /**
     * Returns the sweep files bundled with the runner ({@code presets/sweeps/*.conf}, with a {@code
     * README.md}), each runnable as {@code lpl sweep -c NAME}; only {@link #all}, {@link #find} and
     * {@link #nearest} apply to them.
     *
     * @return the bundled sweeps of the runner's class loader
     */
    static ExperimentPresets bundledSweeps() {
        return new ExperimentPresets(ExperimentPresets.class.getClassLoader(), SWEEPS);
    }

    /**
     * Lists every preset, by name.
     *
     * @return the presets, sorted by name; empty when none is bundled
     */
    List<Preset> all() {
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> markers = classLoader.getResources(directory + "README.md");
            while (markers.hasMoreElements()) {
                names.addAll(namesNextTo(markers.nextElement(), directory));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the bundled experiment presets", e);
        }
        return names.stream()
                .distinct()
                .sorted()
                .map(this::find)
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(Preset::name))
                .toList();
    }

    /**
     * Finds a preset by name.
     *
     * @param name the name, with or without {@code .conf}
     * @return the preset, or empty
     */
    Optional<Preset> find(String name) {
        requireNonNull(name, "name is null");
        String bare = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
        if (bare.isEmpty() || bare.contains("/") || bare.contains("\\")) {
            return Optional.empty();
        }
        String resource = directory + bare + SUFFIX;
        URL url = classLoader.getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        return Optional.of(new Preset(bare, description(url), resource));
    }

    /**
     * Parses a preset, its includes resolved on the class path.
     *
     * @param preset the preset
     * @return its keys, relative to {@code lpl}
     * @throws LplException when it is not valid HOCON
     */
    Config parse(Preset preset) {
        try {
            return ConfigFactory.parseResources(
                    classLoader,
                    preset.resource(),
                    ConfigParseOptions.defaults().setClassLoader(classLoader).setAllowMissing(false));
        } catch (ConfigException e) {
            throw new LplException("bundled file " + preset.resource() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Returns a bundled file's text as it is (a sweep file is read with its comments and the
     * order of its entries).
     *
     * @param preset the preset or bundled sweep
     * @return its text
     * @throws LplException when it cannot be read
     */
    String text(Preset preset) {
        try (InputStream in = classLoader.getResourceAsStream(preset.resource())) {
            if (in == null) {
                throw new IOException("not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LplException("bundled file " + preset.resource() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the configuration of {@code -c ARG}: an existing file as it is; otherwise, when the
     * argument has no directory part, the bundled preset of that name (with or without {@code
     * .conf}).
     *
     * @param loader the configuration loader
     * @param config the argument of {@code -c}, or null
     * @param overrides the {@code --set} overrides
     * @return the validated configuration
     * @throws LplException when the argument is neither a file nor a preset, or the configuration
     *     is invalid
     */
    RunConfig load(ConfigLoader loader, Path config, List<String> overrides) {
        requireNonNull(loader, "loader is null");
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq > 0 && override.substring(0, eq).trim().equals("method.type")) {
                String value = override.substring(eq + 1).trim().replaceAll("^\"|\"$", "");
                if (loader.presets().get(value) == null && find(value).isPresent()) {
                    throw new LplException("method.type = " + value + " names an experiment preset (a whole experiment:"
                            + " data, model, method, schedule), not a method; run it with lpl train -c " + value);
                }
            }
        }
        if (config == null || Files.exists(config) || config.getNameCount() != 1 || config.isAbsolute()) {
            return loader.load(config, overrides);
        }
        String name = config.toString();
        Optional<Preset> preset = find(name);
        if (preset.isEmpty()) {
            String suggestion = nearest(name);
            throw new LplException("experiment file " + name
                    + " does not exist and no bundled experiment preset has that name"
                    + (suggestion == null ? "" : "; did you mean " + suggestion + "?")
                    + " (lpl presets lists them)");
        }
        return loader.load(parse(preset.get()), "experiment preset " + preset.get().name()
                + " (bundled " + preset.get().resource() + ")", overrides);
    }

    /**
     * Returns the bundled name nearest to a mistyped one.
     *
     * @param name the name given
     * @return the nearest name, or null when none is close
     */
    String nearest(String name) {
        String bare = name.toLowerCase(Locale.ROOT).replace(SUFFIX, "");
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Preset p : all()) {
            int d = distance(bare, p.name());
            if (d < bestDistance) {
                bestDistance = d;
                best = p.name();
            }
        }
        return best != null && bestDistance <= Math.max(2, bare.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static List<String> namesNextTo(URL marker, String directory) throws IOException {
        List<String> names = new ArrayList<>();
        switch (marker.getProtocol()) {
            case "file" -> {
                Path folder;
                try {
                    folder = Path.of(marker.toURI()).getParent();
                } catch (URISyntaxException e) {
                    throw new IOException("bad experiment preset location " + marker, e);
                }
                try (Stream<Path> files = Files.list(folder)) {
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(SUFFIX))
                            .forEach(n -> names.add(n.substring(0, n.length() - SUFFIX.length())));
                }
            }
            case "jar" -> {
                JarURLConnection connection = (JarURLConnection) marker.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        String entry = entries.nextElement().getName();
                        if (entry.startsWith(directory) && entry.endsWith(SUFFIX)
                                && entry.indexOf('/', directory.length()) < 0) {
                            names.add(entry.substring(directory.length(), entry.length() - SUFFIX.length()));
                        }
                    }
                }
            }
            default -> throw new IOException("cannot list experiment presets at " + marker);
        }
        return names;
    }

    private static String description(URL url) {
        try (InputStream in = url.openStream();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String trimmed = line.strip();
                if (trimmed.startsWith("#")) {
                    return trimmed.substring(1).strip();
                }
                if (!trimmed.isEmpty()) {
                    break;
                }
            }
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
    }
}
