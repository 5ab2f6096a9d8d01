package dev.lpl.runner.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.lpl.api.LplException;
import dev.lpl.core.train.ShotGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a run directory written by {@code lpl train} into {@link RunResults}. Fields an older lpl
 * did not write are absent ({@code NaN} or {@code null}), never an error; a file that is not JSON
 * is a user error naming the file and line.
 */
public final class RunDirectoryReader {

    /** The file {@code lpl train} rewrites after every epoch. */
    public static final String SUMMARY = "summary.json";
    /** One JSON object per epoch. */
    public static final String METRICS = "metrics.jsonl";
    /** Versions, seeds, dataset identity and configuration. */
    public static final String MANIFEST = "manifest.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        return parse(directory, readMetrics(directory.resolve(METRICS)));
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
        JsonNode summary = readObject(directory.resolve(SUMMARY));
        Path manifestFile = directory.resolve(MANIFEST);
        JsonNode manifest = Files.isRegularFile(manifestFile) ? readObject(manifestFile) : MissingNode.getInstance();
        RunResults.Figures last = figures(summary.path("final"));
        // best: selected on validation (runs with a validation split), or on the test set (older runs'
        // best, newer runs' test_selected); see RunResults#bestSelectedOnValidation
        RunResults.Figures best = summary.has("best") ? figures(summary.path("best"))
                : summary.has("test_selected") ? figures(summary.path("test_selected")) : last;
        String run = text(summary.path("run"), text(manifest.path("run"), directory.getFileName().toString()));
        return new RunResults(
                directory,
                run,
                text(summary.path("status"), "unknown"),
                text(summary.path("method"), text(manifest.path("method"), "?")),
                text(summary.path("model"), text(manifest.path("model").path("name"), "?")),
                text(summary.path("dataset"), text(manifest.path("dataset").path("name"), "?")),
                summary.path("epochs_completed").asInt(history.size()),
                summary.path("epochs").asInt(0),
                last,
                best,
                classes(summary, manifest, history),
                matrix(summary.path("confusion")),
                calibration(summary.path("calibration")),
                history,
                manifest);
    }

    private static List<RunResults.ClassResult> classes(
            JsonNode summary, JsonNode manifest, List<RunResults.EpochMetrics> history) {
        List<RunResults.ClassResult> classes = new ArrayList<>();
        JsonNode listed = summary.path("classes");
        if (listed.isArray() && !listed.isEmpty()) {
            for (int c = 0; c < listed.size(); c++) {
                JsonNode cls = listed.get(c);
                long count = cls.path("train_count").asLong(-1);
                classes.add(new RunResults.ClassResult(
                        cls.path("class").asInt(c),
                        text(cls.path("name"), Integer.toString(c)),
                        count,
                        text(cls.path("shot_group"), count >= 0 ? ShotGroup.of(count).label() : ""),
                        number(cls.path("accuracy"))));
            }
            return classes;
        }
        // An older or partial summary: the manifest knows the classes, the last epoch their accuracy.
        JsonNode names = manifest.path("dataset").path("classes");
        JsonNode counts = manifest.path("dataset").path("train_class_counts");
        double[] accuracy = history.isEmpty() ? null : history.get(history.size() - 1).perClassAccuracy();
        for (int c = 0; c < names.size(); c++) {
            long count = counts.path(c).asLong(-1);
            classes.add(new RunResults.ClassResult(c, names.get(c).asText(), count,
                    count >= 0 ? ShotGroup.of(count).label() : "",
                    accuracy != null && c < accuracy.length ? accuracy[c] : Double.NaN));
        }
        return classes;
    }

    /**
     * Reads one epoch's headline figures, e.g. {@code summary.json}'s {@code final}, {@code best}
     * or {@code test_selected}.
     *
     * @param f the object ({@code NaN} for every figure it lacks)
     * @return the figures
     */
    public static RunResults.Figures figures(JsonNode f) {
        double accuracy = number(f.path("test_accuracy"));
        double error = number(f.path("top1_error"));
        return new RunResults.Figures(
                f.path("epoch").asInt(0),
                accuracy,
                Double.isNaN(error) ? 1 - accuracy : error,
                number(f.path("balanced_accuracy")),
                number(f.path("many_shot_accuracy")),
                number(f.path("medium_shot_accuracy")),
                number(f.path("few_shot_accuracy")),
                number(f.path("train_loss")),
                number(f.path("ece")));
    }

    private static RunResults.Calibration calibration(JsonNode c) {
        if (!c.isObject() || !c.path("accuracy").isArray() || !c.path("confidence").isArray()) {
            return null;
        }
        double[] accuracy = numbers(c.path("accuracy"));
        int bins = c.path("bins").asInt(accuracy.length);
        double[] lower = c.path("bin_lower").isArray() ? numbers(c.path("bin_lower")) : edges(bins, 0);
        double[] upper = c.path("bin_upper").isArray() ? numbers(c.path("bin_upper")) : edges(bins, 1);
        long[] count = new long[accuracy.length];
        for (int b = 0; b < count.length; b++) {
            count[b] = c.path("count").path(b).asLong(0);
        }
        return new RunResults.Calibration(bins, lower, upper, count, numbers(c.path("confidence")), accuracy,
                number(c.path("ece")));
    }

    private static double[] edges(int bins, int offset) {
        double[] edges = new double[bins];
        for (int b = 0; b < bins; b++) {
            edges[b] = (double) (b + offset) / bins;
        }
        return edges;
    }

    private static List<RunResults.EpochMetrics> readMetrics(Path file) {
        List<RunResults.EpochMetrics> history = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode m;
                try {
                    m = MAPPER.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new LplException("malformed JSON in " + file + " line " + number + ": " + e.getOriginalMessage(), e);
                }
                if (m == null || !m.isObject()) {
                    throw new LplException("malformed JSON in " + file + " line " + number + ": expected one object per line");
                }
                history.add(new RunResults.EpochMetrics(
                        m.path("epoch").asInt(history.size() + 1),
                        number(m.path("train_loss")),
                        number(m.path("test_accuracy")),
                        number(m.path("balanced_accuracy")),
                        number(m.path("many_shot_accuracy")),
                        number(m.path("medium_shot_accuracy")),
                        number(m.path("few_shot_accuracy")),
                        number(m.path("learning_rate")),
                        number(m.path("ece")),
                        m.path("per_class_accuracy").isArray() ? numbers(m.path("per_class_accuracy")) : null,
                        m.path("relative_loss_variation").isArray() ? numbers(m.path("relative_loss_variation")) : null,
                        m.path("phase").asText(RunResults.EpochMetrics.TRAIN)));
            }
        } catch (IOException e) {
            throw new LplException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return history;
    }

    private static JsonNode readObject(Path file) {
        JsonNode node;
        try {
            node = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new LplException("malformed JSON in " + file + (line > 0 ? " line " + line : "") + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new LplException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new LplException("malformed JSON in " + file + ": expected an object");
        }
        return node;
    }

    private static long[][] matrix(JsonNode rows) {
        if (!rows.isArray() || rows.isEmpty()) {
            return null;
        }
        long[][] matrix = new long[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            JsonNode row = rows.get(r);
            matrix[r] = new long[row.size()];
            for (int c = 0; c < row.size(); c++) {
                matrix[r][c] = row.get(c).asLong(0);
            }
        }
        return matrix;
    }

    private static double[] numbers(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(array.get(i));
        }
        return values;
    }

    /**
     * Returns a JSON number as a double.
     *
     * @param node a node
     * @return its value, {@code NaN} for null, missing or not a number
     */
    static double number(JsonNode node) {
        return node != null && node.isNumber() ? node.doubleValue() : Double.NaN;
    }

    private static String text(JsonNode node, String otherwise) {
        return node.isValueNode() && !node.isNull() ? node.asText() : otherwise;
    }
}
