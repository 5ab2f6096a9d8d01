package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * The directory of one run. Whole files are written atomically (a temporary file in the same
 * directory, then a rename), so a reader never sees a half-written {@code summary.json} or
 * manifest; {@code metrics.jsonl} grows by whole lines.
 */
public final class RunDirectory {

    /** The resolved configuration, usable with {@code -c} to repeat the run. */
    public static final String RESOLVED_CONF = "resolved.conf";
    /** Versions, seeds and data identity. */
    public static final String MANIFEST = "manifest.json";
    /** One JSON object per epoch. */
    public static final String METRICS = "metrics.jsonl";
    /** Final and best figures. */
    public static final String SUMMARY = "summary.json";
    /** The training-set indices kept by long-tail sampling, one per line, in training-set order. */
    public static final String TRAIN_INDICES = "train-indices.txt";
    /** The source training-set indices of the validation set ({@code data.validation}), one per line. */
    public static final String VALIDATION_INDICES = "validation-indices.txt";
    /** The run's metrics in the Prometheus text format, rewritten after every epoch. */
    public static final String METRICS_PROM = "metrics.prom";

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    /**
     * Creates a new run directory; an existing non-empty directory is refused so that no earlier
     * result is overwritten.
     *
     * @param path the directory
     * @return the run directory
     * @throws LplException if the directory exists and is not empty, or cannot be created
     */
    public static RunDirectory create(Path path) {
        requireAvailable(path);
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new LplException("cannot create run directory " + path + ": " + e.getMessage(), e);
        }
        return new RunDirectory(path);
    }

    /**
     * Opens the directory of an existing run (to resume it).
     *
     * @param path the directory
     * @return the run directory
     */
    public static RunDirectory open(Path path) {
        if (!Files.isDirectory(path)) {
            throw new LplException("run directory " + path + " does not exist");
        }
        return new RunDirectory(path);
    }

    /**
     * Keeps the first lines of a file (atomically), e.g. the metrics of the epochs a resumed run
     * keeps.
     *
     * @param name the file name within the directory
     * @param lines how many lines to keep
     * @return the kept lines
     */
    public java.util.List<String> truncateLines(String name, int lines) {
        Path file = path.resolve(name);
        try {
            java.util.List<String> all = Files.isRegularFile(file)
                    ? Files.readAllLines(file, StandardCharsets.UTF_8) : java.util.List.of();
            java.util.List<String> kept = all.subList(0, Math.min(lines, all.size()));
            write(name, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
            return kept;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Checks that a run directory can be created without overwriting anything.
     *
     * @param path the directory
     * @throws LplException if it exists and is not empty, or is a file
     */
    public static void requireAvailable(Path path) {
        requireNonNull(path, "path is null");
        if (Files.isDirectory(path)) {
            try (Stream<Path> entries = Files.list(path)) {
                if (entries.findAny().isPresent()) {
                    throw new LplException("run directory " + path + " already exists and is not empty;"
                            + " choose another --out or run.name (nothing was overwritten)");
                }
            } catch (IOException e) {
                throw new LplException("cannot read run directory " + path + ": " + e.getMessage(), e);
            }
        } else if (Files.exists(path)) {
            throw new LplException("run directory " + path + " exists and is a file; choose another --out");
        }
    }

    /**
     * Returns the directory.
     *
     * @return its path
     */
    public Path path() {
        return path;
    }

    /**
     * Writes a whole file atomically.
     *
     * @param name the file name within the directory
     * @param content the text
     */
    public void write(String name, String content) {
        Path target = path.resolve(name);
        Path temp = path.resolve("." + name + ".tmp");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            AtomicFiles.move(temp, target, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /**
     * Appends one line to a file (created if absent).
     *
     * @param name the file name within the directory
     * @param line the line, without its line break
     */
    public void appendLine(String name, String line) {
        try {
            Files.writeString(path.resolve(name), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + path.resolve(name), e);
        }
    }
}
