package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The directory of one run. A new run's directory appears complete or not at all ({@link
 * #publish}: its first files are written into a hidden sibling {@code .NAME.tmp-*} that is renamed
 * into place). Whole files are written atomically (a temporary file in the same directory, then a
 * rename), so a reader never sees a half-written {@code summary.json} or manifest; {@code
 * metrics.jsonl} grows by whole lines.
 */
public final class RunDirectory {

    /** The resolved configuration, usable with {@code -c} to repeat the run. */
    public static final String RESOLVED_CONF = "resolved.conf";
    /** Versions, seeds and data identity ({@link dev.lpl.core.rundir.Manifest}). */
    public static final String MANIFEST = dev.lpl.core.rundir.RunFiles.MANIFEST;
    /** One JSON object per epoch ({@link dev.lpl.core.rundir.MetricsLine}). */
    public static final String METRICS = dev.lpl.core.rundir.RunFiles.METRICS;
    /** Final and best figures ({@link dev.lpl.core.rundir.Summary}). */
    public static final String SUMMARY = dev.lpl.core.rundir.RunFiles.SUMMARY;
    /** The training-set indices kept by long-tail sampling, one per line, in training-set order. */
    public static final String TRAIN_INDICES = "train-indices.txt";
    /** The source training-set indices of the validation set ({@code data.validation}), one per line. */
    public static final String VALIDATION_INDICES = "validation-indices.txt";
    /** The run's metrics in the Prometheus text format, rewritten after every epoch. */
    public static final String METRICS_PROM = "metrics.prom";

    private static final String TEMP_INFIX = ".tmp-";

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    /**
     * Reserves a new run directory: checks that it can be created without overwriting anything
     * and creates its parent. The directory itself appears only with {@link #publish}, whole.
     *
     * @param path the directory
     * @return the run directory
     * @throws LplException if the directory exists and is not empty, or its parent cannot be created
     */
    public static RunDirectory create(Path path) {
        requireAvailable(path);
        Path parent = path.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new LplException("cannot create run directory " + path + ": " + e.getMessage(), e);
        }
        return new RunDirectory(path);
    }

    /**
     * Creates the run directory with its first files, all at once: they are written into a hidden
     * sibling {@code .NAME.tmp-RANDOM} that is then renamed to the run directory, so a crash leaves
     * either no run directory or a complete one. Temporaries that earlier crashed attempts left for
     * the same name are deleted afterwards. Where the directory already exists (empty) and cannot
     * be replaced by a rename (e.g. a mount point), the files are written into it directly, {@code
     * manifest.json} last.
     *
     * @param files file name to content, in the order to write them
     * @throws LplException if the directory was created meanwhile by someone else, or cannot be
     *     written
     */
    public void publish(Map<String, String> files) {
        requireNonNull(files, "files is null");
        requireAvailable(path);
        Path parent = path.toAbsolutePath().getParent();
        Path temp;
        try {
            temp = createTemporary(parent, "." + path.getFileName() + TEMP_INFIX);
            writeAll(temp, files);
            CrashInjector.reached(CrashPoint.RUN_TEMP_COMPLETE);
        } catch (IOException e) {
            throw new LplException("cannot create run directory " + path + ": " + e.getMessage(), e);
        }
        try {
            AtomicFiles.move(temp, path, false);
        } catch (IOException e) {
            boolean emptyTarget = Files.isDirectory(path) && isEmpty(path);
            if (!emptyTarget) {
                throw new LplException("cannot create run directory " + path + ": " + (Files.exists(path)
                        ? "another process created it meanwhile; choose another --out or run.name" : e.toString()), e);
            }
            try {
                writeAll(path, files);
            } catch (IOException inPlace) {
                throw new LplException("cannot write run directory " + path + ": " + inPlace.getMessage(), inPlace);
            }
        }
        CrashInjector.reached(CrashPoint.RUN_CREATED);
        removeStaleTemporaries();
    }

    /** A new empty directory with a random suffix (with the default permissions, unlike Files.createTempDirectory). */
    private static Path createTemporary(Path parent, String prefix) throws IOException {
        while (true) {
            Path candidate = parent.resolve(prefix + Long.toHexString(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16));
            try {
                return Files.createDirectory(candidate);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // taken: draw again
            }
        }
    }

    private static void writeAll(Path directory, Map<String, String> files) throws IOException {
        List<String> names = new ArrayList<>(files.keySet());
        if (names.remove(MANIFEST)) {
            names.add(MANIFEST); // last: without it, a directory is not a run (resume refuses it)
        }
        for (String name : names) {
            Path temp = directory.resolve("." + name + ".tmp");
            Files.writeString(temp, files.get(name), StandardCharsets.UTF_8);
            AtomicFiles.move(temp, directory.resolve(name), true);
            if (name.equals(RESOLVED_CONF)) {
                CrashInjector.reached(CrashPoint.RUN_CONF_WRITTEN);
            }
        }
    }

    /**
     * Deletes the hidden {@code .NAME.tmp-*} siblings that crashed attempts to create this run
     * directory left behind. Called once the directory exists (then no such attempt can complete).
     *
     * @return the temporaries deleted
     */
    public List<Path> removeStaleTemporaries() {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(path)) {
            return removed;
        }
        for (Path p : staleTemporaries(path)) {
            try {
                AtomicFiles.deleteRecursively(p);
                removed.add(p);
            } catch (IOException e) {
                // best effort: a stale temporary is hidden and harmless
            }
        }
        return removed;
    }

    /**
     * Returns the hidden {@code .NAME.tmp-*} siblings that attempts to create a run directory left
     * (a crash before the directory was renamed into place).
     *
     * @param path the run directory
     * @return the temporaries, sorted
     */
    public static List<Path> staleTemporaries(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        String prefix = "." + path.getFileName() + TEMP_INFIX;
        if (parent == null || !Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> siblings = Files.list(parent)) {
            return siblings.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isEmpty(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
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
     * Replaces a file by whole lines (atomically), e.g. {@code metrics.jsonl} rebuilt from a
     * checkpoint.
     *
     * @param name the file name within the directory
     * @param lines the lines, without line breaks
     */
    public void writeLines(String name, List<String> lines) {
        write(name, lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
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
