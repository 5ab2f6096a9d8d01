package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.ResultKeys;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.rundir.RunFiles;
import dev.lpl.core.rundir.Summary;
import dev.lpl.runner.compare.ComparisonTable;
import dev.lpl.runner.compare.GroupKey;
import dev.lpl.runner.report.RunDirectoryReader;
import dev.lpl.runner.report.RunResults;
import dev.lpl.runner.sweep.CellCheck;
import dev.lpl.runner.sweep.LocalExecutor;
import dev.lpl.runner.sweep.RunState;
import dev.lpl.runner.sweep.Slurm;
import dev.lpl.runner.sweep.SlurmExecutor;
import dev.lpl.runner.sweep.SweepRun;
import dev.lpl.runner.sweep.SweepSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lpl sweep}: runs a grid as separate processes and ends with the comparison table. */
@Command(name = "sweep", mixinStandardHelpOptions = true, description = {
    "Run a grid of trainings (e.g. methods x seeds x ratios) as separate lpl processes, then compare them.",
    "N run at a time; the comparison table is printed and written to OUTPUT_ROOT/comparison.md and .csv.",
    "Running the same command again skips completed runs and resumes interrupted ones, after checking that"
            + " their configuration is still the sweep's (a changed one is refused; see --rerun-changed).",
    "--executor slurm submits the grid as one Slurm job array instead (see --status)."})
final class SweepCommand implements Callable<Integer> {

    /** Exit status when some runs did not complete. */
    static final int INCOMPLETE = 4;

    /** The {@code --progress} of every task: one line per epoch in its log. */
    static final String TASK_PROGRESS = "lines";

    @ParentCommand
    LplCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "GRID", description = "The sweep file (HOCON, a sweep { ... } block).")
    Path file;

    @Option(names = "--parallel", paramLabel = "N", description = "Processes at a time (overrides sweep.parallel).")
    Integer parallel;

    @Option(names = "--executor", paramLabel = "local|slurm", defaultValue = "local",
            description = "local: processes on this machine (default); slurm: one Slurm job array, tracked until done.")
    String executor;

    @Option(names = "--max-parallel", paramLabel = "K",
            description = "Runs at a time: the array's %%K with slurm, the processes with local (default: --parallel).")
    Integer maxParallel;

    @Option(names = "--partition", paramLabel = "P", description = "slurm: the partition (default: the cluster's).")
    String partition;

    @Option(names = "--gpus-per-run", paramLabel = "N", defaultValue = "0", description = "slurm: --gres=gpu:N per run.")
    int gpusPerRun;

    @Option(names = "--time", paramLabel = "H:M:S", description = "slurm: each run's time limit (default: the partition's).")
    String time;

    @Option(names = "--max-retries", paramLabel = "N", defaultValue = "2",
            description = "slurm: resubmissions (with --resume) of a run that left the queue unfinished (default: 2).")
    int maxRetries;

    @Option(names = "--status", paramLabel = "RUN_ROOT",
            description = "Show the progress of a sweep submitted with --executor slurm, and exit.")
    Path status;

    @Option(names = "--poll-seconds", hidden = true, defaultValue = "10", description = "slurm: seconds between looks at the queue.")
    double pollSeconds;

    @Option(names = "--group-by", paramLabel = "KEY", description = "The table's grouping (overrides sweep.group-by).")
    String groupBy;

    @Option(names = "--retry-failed", description = "Start failed runs again from scratch (their directory is kept, renamed).")
    boolean retryFailed;

    @Option(names = "--rerun-changed", description = "Run again the cells whose existing run has another configuration"
            + " than the sweep's now (their old run is moved to OUTPUT_ROOT/.replaced/NAME-TIMESTAMP, never deleted).")
    boolean rerunChanged;

    @Option(names = "--dry-run", description = "Check every run's configuration and print the plan; start nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (status != null) {
            if (file != null) {
                throw new LplException("--status RUN_ROOT shows a submitted sweep; give it without -c");
            }
            out.print(SlurmExecutor.status(Slurm.commands(), status));
            out.flush();
            return 0;
        }
        if (file == null) {
            throw new LplException("give the sweep file with -c GRID (or --status RUN_ROOT for a submitted sweep)");
        }
        boolean slurm = switch (executor) {
            case "local" -> false;
            case "slurm" -> true;
            default -> throw new LplException("--executor " + executor + " is not known; use local or slurm");
        };
        if (!slurm && (partition != null || gpusPerRun != 0 || time != null)) {
            throw new LplException("--partition, --gpus-per-run and --time apply to --executor slurm");
        }
        SweepSpec sweep = readSweep(file);
        GroupKey key = GroupKey.parse(groupBy != null ? groupBy : sweep.groupBy());
        int processes = maxParallel != null ? maxParallel : parallel != null ? parallel : sweep.parallel();
        if (processes < 1) {
            throw new LplException((maxParallel != null ? "--max-parallel " : "--parallel ") + processes + " must be >= 1");
        }
        int threads = sweep.threadsPerRun() > 0 ? sweep.threadsPerRun()
                : Math.max(1, Runtime.getRuntime().availableProcessors() / processes);
        Bootstrap lpl = parent.bootstrap();
        // Slurm: absolute run directories, the same on every node (shared storage).
        List<SweepRun> runs = slurm ? sweep.runs().stream().map(r -> new SweepRun(r.name(), r.overrides(),
                r.directory().toAbsolutePath().normalize())).toList() : sweep.runs();
        // Every configuration is checked before any process starts.
        Map<String, ResultKeys> expected = new HashMap<>();
        for (SweepRun run : runs) {
            try {
                RunConfig config = lpl.configLoader().load(sweep.base(), arguments(sweep, run, threads));
                lpl.runFactory().validate(config);
                expected.put(run.name(), ResultKeys.of(config.config()));
            } catch (LplException e) {
                throw new LplException("sweep run " + run.name() + ": " + e.getMessage(), e);
            }
        }
        for (SweepRun run : runs) {
            if (state(run.directory()).equals("other")) {
                throw new LplException("sweep run directory " + run.directory() + " exists but is not an lpl"
                        + " run; move it away or choose another sweep.output-root");
            }
        }
        // ... and so is every existing run the sweep would reuse: skip as completed, resume, or retry.
        Path root = slurm ? sweep.outputRoot().toAbsolutePath().normalize() : sweep.outputRoot();
        List<CellCheck.Changed> changed = changedCells(runs, expected);
        if (!changed.isEmpty() && !rerunChanged) {
            throw new LplException(CellCheck.refusal(changed, root));
        }
        if (slurm && !changed.isEmpty() && !dryRun) {
            stillQueued(root, changed);
        }
        List<String> moved = new ArrayList<>();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        for (CellCheck.Changed c : changed) {
            if (dryRun) {
                moved.add(c.run().name() + " (changed: " + c.keys() + "; its old run would be moved to "
                        + root.resolve(CellCheck.REPLACED) + ")");
            } else {
                Path to = CellCheck.moveAside(c.run(), root, stamp);
                moved.add(c.run().name() + " (changed: " + c.keys() + "; old run moved to " + to + ")");
            }
        }
        Set<String> replaced = new HashSet<>();
        changed.forEach(c -> replaced.add(c.run().name()));
        if (slurm) {
            return slurm(sweep, runs, key, processes, threads, out, err, expected, replaced, moved);
        }
        List<LocalExecutor.Task> tasks = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (SweepRun run : runs) {
            String state = replaced.contains(run.name()) ? "new" : state(run.directory());
            Path log = sweep.outputRoot().resolve("logs").resolve(run.name() + ".log");
            switch (state) {
                case "completed" -> skipped.add(run.name() + " (completed)");
                case "failed" -> {
                    if (retryFailed) {
                        if (!dryRun) {
                            CellCheck.moveAside(run, sweep.outputRoot(), "failed-" + stamp);
                        }
                        tasks.add(new LocalExecutor.Task(run, trainArguments(sweep, run, threads), log));
                    } else {
                        skipped.add(run.name() + " (failed; --retry-failed starts it again)");
                    }
                }
                case "resumable" -> tasks.add(new LocalExecutor.Task(run,
                        List.of("train", "--resume", run.directory().toString(), "--progress", TASK_PROGRESS), log));
                case "new" -> tasks.add(new LocalExecutor.Task(run, trainArguments(sweep, run, threads), log));
                default -> throw new LplException("sweep run directory " + run.directory() + " exists but is not an lpl"
                        + " run; move it away or choose another sweep.output-root");
            }
        }
        out.printf(Locale.ROOT, "sweep %s: %s (%d to run, %d skipped), %d at a time, %s each, in %s%n",
                file.getFileName(), Plural.of(runs.size(), "run"), tasks.size(), skipped.size(), processes,
                Plural.of(threads, "thread"), sweep.outputRoot());
        skipped.forEach(s -> out.println("  skip " + s));
        moved.forEach(s -> out.println("  rerun " + s));
        if (dryRun) {
            for (LocalExecutor.Task task : tasks) {
                out.println("  lpl " + String.join(" ", task.arguments()));
            }
            out.flush();
            return 0;
        }
        out.flush();
        AtomicInteger done = new AtomicInteger();
        List<LocalExecutor.Result> results;
        try (StopSignals stop = StopSignals.install(err)) {
            results = new LocalExecutor(processes, LocalExecutor.selfLauncher(), Map.of(
                    "OPT_OUT_TRACKING", "true", "DJL_OFFLINE", "true"))
                    .run(tasks, stop::requested, r -> {
                        synchronized (out) {
                            out.printf(Locale.ROOT, "[%d/%d] %s %s in %.0fs%s%n", done.incrementAndGet(), tasks.size(),
                                    r.task().run().name(), outcome(r.exitCode()), r.seconds(),
                                    r.exitCode() == 0 ? figures(r.task().run().directory()) : "; log " + r.task().log());
                            out.flush();
                        }
                    });
        }
        boolean stopped = results.stream().anyMatch(r -> r.exitCode() == TrainCommand.STOPPED || r.exitCode() == -1);
        return table(sweep, runs, expected, key, out, err,
                stopped ? "run the same command again to resume them" : "see their logs in " + sweep.outputRoot().resolve("logs"));
    }

    /**
     * The cells whose existing run would be reused (skipped as completed, resumed, or with
     * --retry-failed started again) but has another configuration than the sweep's now.
     */
    private List<CellCheck.Changed> changedCells(List<SweepRun> runs, Map<String, ResultKeys> expected) {
        List<CellCheck.Changed> changed = new ArrayList<>();
        for (SweepRun run : runs) {
            String state = state(run.directory());
            if (state.equals("completed") || state.equals("resumable") || (state.equals("failed") && retryFailed)) {
                CellCheck.Changed c = CellCheck.check(run, state, expected.get(run.name()));
                if (c != null) {
                    changed.add(c);
                }
            }
        }
        return changed;
    }

    /** Refuses to move the run of a changed cell whose Slurm task (of an earlier invocation) is still queued. */
    private static void stillQueued(Path root, List<CellCheck.Changed> changed) {
        Map<String, String> queued = SlurmExecutor.stillQueued(Slurm.commands(), root,
                changed.stream().map(c -> c.run().name()).toList());
        if (!queued.isEmpty()) {
            String ids = String.join(" ", queued.values());
            throw new LplException("sweep cell" + (queued.size() > 1 ? "s " : " ") + String.join(", ", queued.keySet())
                    + " changed but " + (queued.size() > 1 ? "their" : "its") + " Slurm task" + (queued.size() > 1 ? "s are" : " is")
                    + " still queued or running (" + ids + "); cancel " + (queued.size() > 1 ? "them" : "it")
                    + " with scancel " + ids + ", then run again with --rerun-changed");
        }
    }

    /** Prints and writes the comparison table; INCOMPLETE when some runs did not complete. */
    private static int table(SweepSpec sweep, List<SweepRun> runs, Map<String, ResultKeys> expected, GroupKey key,
                             PrintWriter out, PrintWriter err, String hint) throws IOException {
        List<RunResults> finished = new ArrayList<>();
        List<String> incomplete = new ArrayList<>();
        for (SweepRun run : runs) {
            if ("completed".equals(state(run.directory()))) {
                // never a number of another configuration in the table, e.g. when the base file was
                // edited while the sweep ran
                CellCheck.Changed c = CellCheck.check(run, "completed", expected.get(run.name()));
                if (c != null) {
                    incomplete.add(run.name() + " (completed with another configuration: " + c.keys()
                            + "; run the same command again)");
                    continue;
                }
                finished.add(RunDirectoryReader.readSummary(run.directory()));
            } else {
                incomplete.add(run.name() + " (" + state(run.directory()) + ")");
            }
        }
        // a sweep of variants lists its rows in the order the variants are written
        ComparisonTable table = ComparisonTable.of(finished, ComparisonTable.Options.groupBy(key)
                .withSelection(dev.lpl.runner.compare.Selection.of(RunResults.Metric.FINAL))
                .withFirstOrder(List.copyOf(sweep.variants().keySet())));
        out.println();
        out.print(table.markdown());
        out.flush();
        Files.createDirectories(sweep.outputRoot());
        Files.writeString(sweep.outputRoot().resolve("comparison.md"), table.markdown());
        Files.writeString(sweep.outputRoot().resolve("comparison.csv"), table.csv());
        if (!incomplete.isEmpty()) {
            err.println("incomplete runs: " + String.join(", ", incomplete));
            err.println(hint);
            err.flush();
            return INCOMPLETE;
        }
        return 0;
    }

    /** --executor slurm: one job array, tracked until every task has left the queue. */
    private int slurm(SweepSpec sweep, List<SweepRun> runs, GroupKey key, int maxParallelRuns, int threads,
                      PrintWriter out, PrintWriter err, Map<String, ResultKeys> expected, Set<String> replaced,
                      List<String> moved) throws IOException {
        Path root = sweep.outputRoot().toAbsolutePath().normalize();
        List<LocalExecutor.Task> all = new ArrayList<>();
        Set<String> toRun = new java.util.LinkedHashSet<>();
        List<String> skipped = new ArrayList<>();
        // What each array task may resume: the run its directory holds now (checked above), else
        // the run it starts; the batch script resumes no directory with another fingerprint.
        Map<String, String> fingerprints = new HashMap<>();
        for (SweepRun run : runs) {
            all.add(new LocalExecutor.Task(run, trainArguments(sweep, run, threads), root.resolve("logs")));
            String state = replaced.contains(run.name()) ? "new" : state(run.directory());
            // an existing run (checked above, or failed and left alone) keeps the fingerprint it recorded,
            // so that a run of an older lpl whose result keys are the same is not taken for another one
            boolean fresh = state.equals("new") || (state.equals("failed") && retryFailed);
            String recorded = fresh ? "" : CellCheck.recordedFingerprint(run.directory());
            fingerprints.put(run.name(), recorded.isEmpty() ? expected.get(run.name()).fingerprint() : recorded);
            switch (state) {
                case "completed" -> skipped.add(run.name() + " (completed)");
                case "failed" -> {
                    if (retryFailed) {
                        if (!dryRun) {
                            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss",
                                    Locale.ROOT));
                            CellCheck.moveAside(run, root, "failed-" + stamp);
                        }
                        toRun.add(run.name());
                    } else {
                        skipped.add(run.name() + " (failed; --retry-failed starts it again)");
                    }
                }
                case "resumable", "new" -> toRun.add(run.name());
                default -> throw new LplException("sweep run directory " + run.directory() + " exists but is not an lpl"
                        + " run; move it away or choose another sweep.output-root");
            }
        }
        String name = "lpl-" + file.getFileName().toString().replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_.-]", "-");
        SlurmExecutor executor = new SlurmExecutor(Slurm.commands(), new SlurmExecutor.Options(name, partition, gpusPerRun,
                time, maxParallelRuns, threads, maxRetries, java.time.Duration.ofMillis((long) (pollSeconds * 1000))),
                SlurmExecutor.selfLauncher(), root);
        out.printf(Locale.ROOT, "sweep %s: %s (%d to run, %d skipped) as a Slurm job array, %d at a time, %s"
                        + " each, in %s%n", file.getFileName(), Plural.of(runs.size(), "run"), toRun.size(), skipped.size(),
                maxParallelRuns, Plural.of(threads, "CPU"), root);
        skipped.forEach(s -> out.println("  skip " + s));
        moved.forEach(s -> out.println("  rerun " + s));
        if (dryRun) {
            executor.write(all, fingerprints);
            out.println("  batch script " + executor.script() + ", tasks " + executor.taskList());
            if (!toRun.isEmpty()) {
                out.println("  would submit: sbatch --parsable --array=" + SlurmExecutor.ranges(runs.stream()
                        .filter(r -> toRun.contains(r.name())).map(runs::indexOf).toList())
                        + "%" + maxParallelRuns + " " + executor.script());
            }
            out.flush();
            return 0;
        }
        out.flush();
        AtomicInteger done = new AtomicInteger();
        List<SlurmExecutor.Result> results;
        try (StopSignals stop = StopSignals.install(err)) {
            results = executor.run(all, toRun, fingerprints, stop::requested, line -> {
                out.println(line);
                out.flush();
            }, r -> {
                out.printf(Locale.ROOT, "[%d/%d] %s %s%s%s%n", done.incrementAndGet(), toRun.size(), r.task().run().name(),
                        r.outcome(), r.attempts() > 1 ? " (" + r.attempts() + " attempts)" : "",
                        r.completed() ? figures(r.task().run().directory()) : "; logs in " + root.resolve("logs"));
                out.flush();
            });
        }
        boolean queued = results.stream().anyMatch(r -> r.outcome().equals("still queued"));
        return table(sweep, runs, expected, key, out, err, queued
                ? "their jobs are still queued or running: run the same command again to keep tracking them, or"
                        + " lpl sweep --status " + root
                : "see their logs in " + root.resolve("logs") + "; run the same command again to resubmit them");
    }

    /**
     * Reads the sweep of {@code -c ARG}: an existing file as it is; otherwise, when the argument has
     * no directory part, the bundled sweep of that name ({@code lpl presets} lists them).
     *
     * @param file the argument
     * @return the sweep
     * @throws LplException when it is neither a file nor a bundled sweep, or is invalid
     */
    static SweepSpec readSweep(Path file) {
        if (Files.exists(file) || file.getNameCount() != 1 || file.isAbsolute()) {
            return SweepSpec.read(file);
        }
        ExperimentPresets sweeps = ExperimentPresets.bundledSweeps();
        String name = file.toString();
        ExperimentPresets.Preset bundled = sweeps.find(name).orElseThrow(() -> {
            String suggestion = sweeps.nearest(name);
            return new LplException("sweep file " + name + " does not exist and no bundled sweep has that name"
                    + (suggestion == null ? "" : "; did you mean " + suggestion + "?") + " (lpl presets lists them)");
        });
        List<String> lines = sweeps.text(bundled).lines().toList();
        return SweepSpec.parse(Path.of(bundled.name() + ".conf"), null, sweeps.parse(bundled).resolve(), lines);
    }

    private static List<String> arguments(SweepSpec sweep, SweepRun run, int threads) {
        List<String> sets = new ArrayList<>(sweep.fixed());
        sets.addAll(run.overrides());
        sets.add("training.threads=" + threads);
        sets.add("run.name=" + run.name());
        return sets;
    }

    private static List<String> trainArguments(SweepSpec sweep, SweepRun run, int threads) {
        List<String> args = new ArrayList<>(List.of("train"));
        if (sweep.base() != null) {
            args.addAll(List.of("-c", sweep.base().toString()));
        }
        for (String set : arguments(sweep, run, threads)) {
            args.addAll(List.of("--set", set));
        }
        args.addAll(List.of("--out", run.directory().toString(), "--progress", TASK_PROGRESS));
        return args;
    }

    /** new, completed, failed, resumable, or other (a directory that is not a run); see {@link RunState}. */
    static String state(Path directory) {
        return RunState.of(directory);
    }

    private static String outcome(int code) {
        return switch (code) {
            case 0 -> "completed";
            case TrainCommand.STOPPED -> "stopped (resumable)";
            case -1 -> "not started";
            case LplCommand.USER_ERROR -> "failed (configuration or data error)";
            default -> "failed (exit " + code + ")";
        };
    }

    private static String figures(Path directory) {
        try {
            Summary.Figures last = RunFiles.readSummary(directory).last();
            Double figure = last == null ? null : last.balancedAccuracy();
            double balanced = figure == null || figure.isNaN() ? 0 : figure; // as it always read: 0 when absent
            return String.format(Locale.ROOT, "; balanced accuracy %.2f%%", 100 * balanced);
        } catch (IOException e) {
            return "";
        }
    }
}
