package dev.lpl.runner.sweep;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.lpl.api.LplException;
import dev.lpl.core.config.ResultKeys;
import dev.lpl.core.rundir.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Whether the run in a sweep cell's directory was made with the configuration the sweep asks for
 * now, so that a sweep never reuses (skips as completed, or resumes) a run of another experiment.
 *
 * <p>Both sides are compared as {@link ResultKeys}: the cell's configuration resolved as its
 * {@code lpl train} would resolve it, and the configuration the run recorded (the {@code config}
 * of its {@code manifest.json}, else its {@code resolved.conf}, which is written first). Keys that
 * cannot change a result (the run's name and directory, threads, checkpointing, data paths) are not
 * compared. A changed cell is refused, or with {@code --rerun-changed} its old run is moved to
 * {@code OUTPUT_ROOT/.replaced/NAME-TIMESTAMP} and the cell runs again.
 */
public final class CellCheck {

    /** The directory, below the output root, that old runs of changed cells are moved to. */
    public static final String REPLACED = ".replaced";

    /**
     * A cell whose run directory holds a run of another configuration.
     *
     * @param run the sweep cell
     * @param state its run directory's {@link RunState} ({@code completed}, {@code resumable} or
     *     {@code failed})
     * @param differences the changed keys, old value first
     */
    public record Changed(SweepRun run, String state, List<ResultKeys.Difference> differences) {

        /** Checks and copies the values. */
        public Changed {
            requireNonNull(run, "run is null");
            requireNonNull(state, "state is null");
            differences = List.copyOf(differences);
        }

        /**
         * The changed keys, e.g. {@code training.epochs (1 → 2), method.type (ce → la)}.
         *
         * @return the text
         */
        public String keys() {
            return differences.stream().map(ResultKeys.Difference::toString).collect(Collectors.joining(", "));
        }
    }

    private CellCheck() {}

    /**
     * Reads the result keys of the configuration a run directory recorded: the {@code config} of
     * its {@code manifest.json}, else its {@code resolved.conf}.
     *
     * @param directory the run directory
     * @return the recorded configuration's result keys
     * @throws LplException when neither file holds a readable configuration
     */
    public static ResultKeys recorded(Path directory) {
        requireNonNull(directory, "directory is null");
        if (Files.isRegularFile(directory.resolve(RunFiles.MANIFEST))) {
            try {
                JsonNode config = RunFiles.readManifest(directory).config();
                if (config != null && config.isObject() && !config.isEmpty()) {
                    return ResultKeys.of(config);
                }
            } catch (IOException e) {
                // a manifest cut short by a crash: resolved.conf is written before it
            }
        }
        Path resolved = directory.resolve("resolved.conf");
        try {
            return ResultKeys.of(ConfigFactory.parseFile(resolved.toFile()).resolve());
        } catch (ConfigException e) {
            throw new LplException("cannot tell which configuration the run in " + directory + " used (" + resolved
                    + ": " + e.getMessage() + "); move the directory away and run the sweep again", e);
        }
    }

    /**
     * The {@code result_fingerprint} a run's {@code manifest.json} recorded.
     *
     * @param directory the run directory
     * @return the fingerprint; empty when the manifest has none (a run of an older lpl) or is unreadable
     */
    public static String recordedFingerprint(Path directory) {
        if (!Files.isRegularFile(directory.resolve(RunFiles.MANIFEST))) {
            return "";
        }
        try {
            String fingerprint = RunFiles.readManifest(directory).resultFingerprint();
            return fingerprint == null ? "" : fingerprint;
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Compares a cell's run directory with the configuration the sweep asks for.
     *
     * @param run the cell
     * @param state its run directory's state ({@link RunState#of})
     * @param expected the result keys of the cell's configuration now
     * @return the change, or null when the directory's run has the same result keys
     * @throws LplException when the run's configuration cannot be read
     */
    public static Changed check(SweepRun run, String state, ResultKeys expected) {
        requireNonNull(expected, "expected is null");
        List<ResultKeys.Difference> differences = recorded(run.directory()).differences(expected);
        return differences.isEmpty() ? null : new Changed(run, state, differences);
    }

    /**
     * The one-line refusal of changed cells: which cells, which keys changed (old → new), and the
     * two ways on.
     *
     * @param changed the changed cells (not empty)
     * @param outputRoot the sweep's output root
     * @return the message, without the {@code error:} prefix
     */
    public static String refusal(List<Changed> changed, Path outputRoot) {
        if (changed.isEmpty()) {
            throw new IllegalArgumentException("no changed cells");
        }
        Path replaced = outputRoot.resolve(REPLACED);
        boolean plural = changed.size() > 1;
        boolean severalKeys = changed.stream().mapToInt(c -> c.differences().size()).sum() > 1;
        String choices = plural
                ? "; rerun them with --rerun-changed (the old runs are moved to " + replaced + "/NAME-<timestamp>)"
                : "; rerun it with --rerun-changed (the old run is moved to " + replaced + "/"
                        + changed.get(0).run().name() + "-<timestamp>)";
        choices += " or restore the old setting" + (severalKeys ? "s" : "");
        if (!plural) {
            Changed c = changed.get(0);
            return "sweep cell " + c.run().name() + " (" + c.run().directory() + ") " + verb(c.state(), false)
                    + " another configuration: " + c.keys() + choices;
        }
        // cells with the same state and the same changes are named together (a base file's change
        // usually changes every cell alike)
        Map<String, List<Changed>> groups = new LinkedHashMap<>();
        for (Changed c : changed) {
            groups.computeIfAbsent(c.state() + "\n" + c.keys(), k -> new ArrayList<>()).add(c);
        }
        List<String> parts = new ArrayList<>();
        for (List<Changed> group : groups.values()) {
            String names = group.stream().map(c -> c.run().name()).collect(Collectors.joining(", "));
            parts.add((parts.isEmpty() ? "sweep cell" : "cell") + (group.size() > 1 ? "s " : " ") + names + " "
                    + verb(group.get(0).state(), group.size() > 1) + " another configuration: " + group.get(0).keys());
        }
        return changed.size() + " sweep cells in " + outputRoot + " hold runs of another configuration: "
                + String.join("; ", parts) + choices;
    }

    private static String verb(String state, boolean plural) {
        return switch (state) {
            case "completed" -> (plural ? "were" : "was") + " completed with";
            case "failed" -> "failed with";
            default -> (plural ? "were" : "was") + " started (not finished; not resumed) with";
        };
    }

    /**
     * Moves a changed (or failed, retried) cell's run aside, to {@code
     * OUTPUT_ROOT/.replaced/NAME-STAMP} (with a {@code -2}, {@code -3}, ... suffix if that exists),
     * where {@code lpl compare OUTPUT_ROOT} does not see it; the local executor's log of the run,
     * {@code OUTPUT_ROOT/logs/NAME.log}, moves into it as {@code sweep-task.log}.
     *
     * @param run the cell
     * @param outputRoot the sweep's output root
     * @param stamp the time stamp, e.g. {@code 20260105-143000}
     * @return where the run is now
     * @throws LplException when the directory cannot be moved
     */
    public static Path moveAside(SweepRun run, Path outputRoot, String stamp) {
        Path parent = outputRoot.resolve(REPLACED);
        Path target = parent.resolve(run.name() + "-" + stamp);
        for (int n = 2; Files.exists(target); n++) {
            target = parent.resolve(run.name() + "-" + stamp + "-" + n);
        }
        try {
            Files.createDirectories(parent);
            Files.move(run.directory(), target);
            // the local executor's log of the old run goes with it, so the cell's new log starts empty
            Path log = outputRoot.resolve("logs").resolve(run.name() + ".log");
            if (Files.isRegularFile(log)) {
                Files.move(log, target.resolve("sweep-task.log"));
            }
        } catch (IOException e) {
            throw new LplException("cannot move " + run.directory() + " to " + target + ": " + e.getMessage()
                    + "; move it away yourself and run the sweep again", e);
        }
        return target;
    }
}
