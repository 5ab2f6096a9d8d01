package dev.lpl.runner.report;

import dev.lpl.api.LplException;
import dev.lpl.core.rundir.Manifest;
import dev.lpl.core.rundir.MetricsLine;
import dev.lpl.core.rundir.RunFiles;
import dev.lpl.core.rundir.Summary;
import dev.lpl.core.train.ShotGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a run directory written by {@code lpl train} into {@link RunResults}, through the run
 * directory's schema ({@link RunFiles}). Fields an older lpl did not write are absent ({@code NaN}
 * or {@code null}), never an error; a file that is not JSON (or not of the schema) is a user error
 * naming the file and line.
 */
public final class RunDirectoryReader {

    /** The file {@code lpl train} rewrites after every epoch. */
    public static final String SUMMARY = RunFiles.SUMMARY;
    /** One JSON object per epoch. */
    public static final String METRICS = RunFiles.METRICS;
    /** Versions, seeds, dataset identity and configuration. */
    public static final String MANIFEST = RunFiles.MANIFEST;

    private RunDirectoryReader() {}

    /**
     * Reads everything a report needs: summary, manifest and every epoch's metrics.
     *
     * @param directory the run directory
     * @return the run
     * @throws LplException when it is not a run directory or a file is malformed
     */
    public static RunResults read(Path directory) {
        requireRunDirectory(directory);
        if (!Files.isRegularFile(directory.resolve(METRICS))) {
            throw new LplException("not a run directory: " + directory + " (no " + METRICS + ")");
        }
        return parse(directory, readMetrics(directory));
    }

    /**
     * Reads the summary and manifest only, which is all a comparison needs.
     *
     * @param directory the run directory
     * @return the run, with an empty history
     * @throws LplException when it is not a run directory or a file is malformed
     */
    public static RunResults readSummary(Path directory) {
        requireRunDirectory(directory);
        return parse(directory, List.of());
    }

    /**
     * Returns whether a directory holds a run with at least one finished epoch.
     *
     * @param directory a path
     * @return whether it has a {@code summary.json}
     */
    public static boolean isRunDirectory(Path directory) {
        return Files.isRegularFile(directory.resolve(SUMMARY));
    }

    /**
     * Expands a path to run directories: the path itself if it is a run directory, else its
     * immediate subdirectories that are (sorted by name; hidden ones, such as a sweep's {@code
     * .replaced/} or a run still being created, are skipped).
     *
     * @param path a run directory or a directory of run directories
     * @return the run directories, never empty
     * @throws LplException when the path holds no run
     */
    public static List<Path> findRuns(Path path) {
        if (!Files.isDirectory(path)) {
            throw new LplException("no such directory: " + path);
        }
        if (isRunDirectory(path)) {
            return List.of(path);
        }
        List<Path> runs;
        try (Stream<Path> children = Files.list(path)) {
            runs = children.filter(Files::isDirectory).filter(RunDirectoryReader::isVisible)
                    .filter(RunDirectoryReader::isRunDirectory).sorted().toList();
        } catch (IOException e) {
            throw new LplException("cannot list " + path + ": " + e.getMessage(), e);
        }
        if (runs.isEmpty()) {
            throw new LplException("not a run directory nor a directory of runs: " + path + " (no " + SUMMARY
                    + " in it or in its subdirectories)");
        }
        return runs;
    }

    /**
     * Returns the immediate subdirectories of a directory of runs that hold a run started but
     * without a finished epoch ({@code manifest.json}, no {@code summary.json}).
     *
     * @param path a directory of run directories
     * @return those subdirectories, sorted by name; empty when the path is a run or not a directory
     */
    public static List<Path> findUnfinishedRuns(Path path) {
        if (!Files.isDirectory(path) || isRunDirectory(path)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(path)) {
            return children.filter(Files::isDirectory).filter(RunDirectoryReader::isVisible)
                    .filter(d -> !isRunDirectory(d) && Files.isRegularFile(d.resolve(MANIFEST)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Whether a subdirectory can hold a run to read: hidden ones are lpl's own leftovers and
     * archives (a run being created, {@code .NAME.tmp-*}; runs a sweep replaced, {@code .replaced/}).
     */
    private static boolean isVisible(Path directory) {
        return !directory.getFileName().toString().startsWith(".");
    }

    private static void requireRunDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new LplException("no such directory: " + directory);
        }
        if (!isRunDirectory(directory)) {
            throw new LplException("not a run directory: " + directory + " (no " + SUMMARY
                    + "; lpl train writes it after the first epoch)");
        }
    }

    private static RunResults parse(Path directory, List<RunResults.EpochMetrics> history) {
        Summary summary = read(directory, RunFiles::readSummary);
        Manifest manifest = Files.isRegularFile(directory.resolve(MANIFEST)) ? read(directory, RunFiles::readManifest)
                : null;
        Optional<Manifest> m = Optional.ofNullable(manifest);
        RunResults.Figures last = figures(summary.last());
        // best: selected on validation (runs with a validation split), or on the test set (older runs'
        // best, newer runs' test_selected); see RunResults#bestSelectedOnValidation
        RunResults.Figures best = summary.best() != null ? figures(summary.best())
                : summary.testSelected() != null ? figures(summary.testSelected()) : last;
        String run = text(summary.run(), text(m.map(Manifest::run).orElse(null), directory.getFileName().toString()));
        return new RunResults(
                directory,
                run,
                summary.status().text(),
                text(summary.method(), text(m.map(Manifest::method).orElse(null), "?")),
                text(summary.model(), text(m.map(Manifest::model).map(Manifest.Model::name).orElse(null), "?")),
                text(summary.dataset(), text(m.map(Manifest::dataset).map(Manifest.Dataset::name).orElse(null), "?")),
                summary.epochsCompleted() == null ? history.size() : summary.epochsCompleted(),
                summary.epochs() == null ? 0 : summary.epochs(),
                last,
                best,
                classes(summary, m.map(Manifest::dataset).orElse(null), history),
                matrix(summary.confusion()),
                calibration(summary.calibration()),
                history,
                manifest);
    }

    /** A file of the schema, read with the reader's errors: a user error naming the file (and line). */
    private interface SchemaRead<T> {
        T read(Path directory) throws IOException;
    }

    private static <T> T read(Path directory, SchemaRead<T> reader) {
        try {
            return reader.read(directory);
        } catch (RunFiles.MalformedException e) {
            throw new LplException(e.getMessage(), e);
        } catch (IOException e) {
            throw new LplException("cannot read " + directory + ": " + e.getMessage(), e);
        }
    }

    private static List<RunResults.ClassResult> classes(
            Summary summary, Manifest.Dataset dataset, List<RunResults.EpochMetrics> history) {
        List<RunResults.ClassResult> classes = new ArrayList<>();
        List<Summary.ClassResult> listed = summary.classes();
        if (listed != null && !listed.isEmpty()) {
            for (int c = 0; c < listed.size(); c++) {
                Summary.ClassResult cls = listed.get(c);
                long count = cls.trainCount() == null ? -1 : cls.trainCount();
                classes.add(new RunResults.ClassResult(
                        cls.index() == null ? c : cls.index(),
                        text(cls.name(), Integer.toString(c)),
                        count,
                        text(cls.shotGroup(), count >= 0 ? ShotGroup.of(count).label() : ""),
                        MetricsLine.orNaN(cls.accuracy())));
            }
            return classes;
        }
        // An older or partial summary: the manifest knows the classes, the last epoch their accuracy.
        List<String> names = dataset == null || dataset.classes() == null ? List.of() : dataset.classes();
        List<Long> counts = dataset == null || dataset.trainClassCounts() == null ? List.of()
                : dataset.trainClassCounts();
        double[] accuracy = history.isEmpty() ? null : history.get(history.size() - 1).perClassAccuracy();
        for (int c = 0; c < names.size(); c++) {
            long count = c < counts.size() && counts.get(c) != null ? counts.get(c) : -1;
            classes.add(new RunResults.ClassResult(c, names.get(c), count,
                    count >= 0 ? ShotGroup.of(count).label() : "",
                    accuracy != null && c < accuracy.length ? accuracy[c] : Double.NaN));
        }
        return classes;
    }

    /**
     * Reads one epoch's headline figures, e.g. {@code summary.json}'s {@code final}, {@code best}
     * or {@code test_selected}.
     *
     * @param f the figures ({@code NaN} for every figure they lack), or null
     * @return the figures ({@code NaN} everywhere, epoch 0, for null)
     */
    public static RunResults.Figures figures(Summary.Figures f) {
        if (f == null) {
            f = new Summary.Figures(null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null);
        }
        double accuracy = MetricsLine.orNaN(f.testAccuracy());
        double error = MetricsLine.orNaN(f.top1Error());
        return new RunResults.Figures(
                f.epoch() == null ? 0 : f.epoch(),
                accuracy,
                Double.isNaN(error) ? 1 - accuracy : error,
                MetricsLine.orNaN(f.balancedAccuracy()),
                MetricsLine.orNaN(f.manyShotAccuracy()),
                MetricsLine.orNaN(f.mediumShotAccuracy()),
                MetricsLine.orNaN(f.fewShotAccuracy()),
                MetricsLine.orNaN(f.trainLoss()),
                MetricsLine.orNaN(f.ece()));
    }

    private static RunResults.Calibration calibration(Summary.Calibration c) {
        if (c == null || c.accuracy() == null || c.confidence() == null) {
            return null;
        }
        double[] accuracy = MetricsLine.array(c.accuracy());
        int bins = c.bins() == null ? accuracy.length : c.bins();
        double[] lower = c.binLower() != null ? MetricsLine.array(c.binLower()) : edges(bins, 0);
        double[] upper = c.binUpper() != null ? MetricsLine.array(c.binUpper()) : edges(bins, 1);
        long[] count = new long[accuracy.length];
        for (int b = 0; b < count.length; b++) {
            count[b] = c.count() != null && b < c.count().size() && c.count().get(b) != null ? c.count().get(b) : 0;
        }
        return new RunResults.Calibration(bins, lower, upper, count, MetricsLine.array(c.confidence()), accuracy,
                MetricsLine.orNaN(c.ece()));
    }

    private static double[] edges(int bins, int offset) {
        double[] edges = new double[bins];
        for (int b = 0; b < bins; b++) {
            edges[b] = (double) (b + offset) / bins;
        }
        return edges;
    }

    private static List<RunResults.EpochMetrics> readMetrics(Path directory) {
        List<RunResults.EpochMetrics> history = new ArrayList<>();
        for (MetricsLine m : read(directory, RunFiles::readMetrics)) {
            history.add(new RunResults.EpochMetrics(
                    m.epoch() == null ? history.size() + 1 : m.epoch(),
                    MetricsLine.orNaN(m.trainLoss()),
                    MetricsLine.orNaN(m.testAccuracy()),
                    MetricsLine.orNaN(m.balancedAccuracy()),
                    MetricsLine.orNaN(m.manyShotAccuracy()),
                    MetricsLine.orNaN(m.mediumShotAccuracy()),
                    MetricsLine.orNaN(m.fewShotAccuracy()),
                    MetricsLine.orNaN(m.learningRate()),
                    MetricsLine.orNaN(m.ece()),
                    MetricsLine.array(m.perClassAccuracy()),
                    MetricsLine.array(m.relativeLossVariation()),
                    m.phase() == null ? RunResults.EpochMetrics.TRAIN : m.phase(),
                    MetricsLine.orNaN(m.valAccuracy()),
                    MetricsLine.orNaN(m.valBalancedAccuracy())));
        }
        return history;
    }

    private static long[][] matrix(List<List<Long>> rows) {
        if (rows == null || rows.isEmpty()) {
            return null;
        }
        long[][] matrix = new long[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            List<Long> row = rows.get(r) == null ? List.of() : rows.get(r);
            matrix[r] = new long[row.size()];
            for (int c = 0; c < row.size(); c++) {
                matrix[r][c] = row.get(c) == null ? 0 : row.get(c);
            }
        }
        return matrix;
    }

    private static String text(String value, String otherwise) {
        return value != null ? value : otherwise;
    }
}
