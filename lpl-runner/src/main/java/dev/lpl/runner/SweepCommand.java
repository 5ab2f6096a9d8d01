package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.run.Json;
import dev.lpl.runner.compare.ComparisonTable;
import dev.lpl.runner.compare.GroupKey;
import dev.lpl.runner.report.RunDirectoryReader;
import dev.lpl.runner.report.RunResults;
import dev.lpl.runner.sweep.LocalExecutor;
import dev.lpl.runner.sweep.SweepRun;
import dev.lpl.runner.sweep.SweepSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lpl sweep}: runs a grid as separate processes and ends with the comparison table. */
@Command(name = "sweep", mixinStandardHelpOptions = true, description = {
    "Run a grid of trainings (e.g. methods x seeds x ratios) as separate lpl processes, N at a time,",
    "then print the comparison table (also written to OUTPUT_ROOT/comparison.md and .csv).",
    "Running the same command again skips completed runs and resumes interrupted ones."})
final class SweepCommand implements Callable<Integer> {

    /** Exit status when some runs did not complete. */
    static final int INCOMPLETE = 4;

    @ParentCommand
    LplCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "GRID", description = "The sweep file (HOCON, a sweep { ... } block).")
    Path file;

    @Option(names = "--parallel", paramLabel = "N", description = "Processes at a time (overrides sweep.parallel).")
    Integer parallel;

    @Option(names = "--group-by", paramLabel = "KEY", description = "The table's grouping (overrides sweep.group-by).")
    String groupBy;

    @Option(names = "--retry-failed", description = "Start failed runs again from scratch (their directory is kept, renamed).")
    boolean retryFailed;

    @Option(names = "--dry-run", description = "Check every run's configuration and print the plan; start nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SweepSpec sweep = SweepSpec.read(file);
        GroupKey key = GroupKey.parse(groupBy != null ? groupBy : sweep.groupBy());
        int processes = parallel != null ? parallel : sweep.parallel();
        if (processes < 1) {
            throw new LplException("--parallel " + processes + " must be >= 1");
        }
        int threads = sweep.threadsPerRun() > 0 ? sweep.threadsPerRun()
                : Math.max(1, Runtime.getRuntime().availableProcessors() / processes);
        Bootstrap lpl = parent.bootstrap();
        List<SweepRun> runs = sweep.runs();
        // Every configuration is checked before any process starts.
        for (SweepRun run : runs) {
            try {
                lpl.runFactory().validate(lpl.configLoader().load(sweep.base(), arguments(sweep, run, threads)));
            } catch (LplException e) {
                throw new LplException("sweep run " + run.name() + ": " + e.getMessage(), e);
            }
        }
        List<LocalExecutor.Task> tasks = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (SweepRun run : runs) {
            String state = state(run.directory());
            Path log = sweep.outputRoot().resolve("logs").resolve(run.name() + ".log");
            switch (state) {
                case "completed" -> skipped.add(run.name() + " (completed)");
                case "failed" -> {
                    if (retryFailed) {
                        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
                        Files.move(run.directory(), run.directory().resolveSibling(run.name() + ".failed-" + stamp));
                        tasks.add(new LocalExecutor.Task(run, trainArguments(sweep, run, threads), log));
                    } else {
                        skipped.add(run.name() + " (failed; --retry-failed starts it again)");
                    }
                }
                case "resumable" -> tasks.add(new LocalExecutor.Task(run,
                        List.of("train", "--resume", run.directory().toString(), "--progress", "none"), log));
                case "new" -> tasks.add(new LocalExecutor.Task(run, trainArguments(sweep, run, threads), log));
                default -> throw new LplException("sweep run directory " + run.directory() + " exists but is not an lpl"
                        + " run; move it away or choose another sweep.output-root");
            }
        }
        out.printf(Locale.ROOT, "sweep %s: %d runs (%d to run, %d skipped), %d at a time, %d threads each, in %s%n",
                file.getFileName(), runs.size(), tasks.size(), skipped.size(), processes, threads, sweep.outputRoot());
        skipped.forEach(s -> out.println("  skip " + s));
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
        List<RunResults> finished = new ArrayList<>();
        List<String> incomplete = new ArrayList<>();
        for (SweepRun run : runs) {
            if ("completed".equals(state(run.directory()))) {
                finished.add(RunDirectoryReader.readSummary(run.directory()));
            } else {
                incomplete.add(run.name() + " (" + state(run.directory()) + ")");
            }
        }
        ComparisonTable table = ComparisonTable.of(finished, key, RunResults.Metric.FINAL, false);
        out.println();
        out.print(table.markdown());
        out.flush();
        Files.createDirectories(sweep.outputRoot());
        Files.writeString(sweep.outputRoot().resolve("comparison.md"), table.markdown());
        Files.writeString(sweep.outputRoot().resolve("comparison.csv"), table.csv());
        if (!incomplete.isEmpty()) {
            boolean stopped = results.stream().anyMatch(r -> r.exitCode() == TrainCommand.STOPPED || r.exitCode() == -1);
            err.println("incomplete runs: " + String.join(", ", incomplete));
            err.println(stopped ? "run the same command again to resume them" : "see their logs in " + sweep.outputRoot().resolve("logs"));
            err.flush();
            return INCOMPLETE;
        }
        return 0;
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
        args.addAll(List.of("--out", run.directory().toString(), "--progress", "none"));
        return args;
    }

    /** new, completed, failed, resumable, or other (a directory that is not a run). */
    static String state(Path directory) {
        if (!Files.exists(directory)) {
            return "new";
        }
        try (var entries = Files.list(directory)) {
            if (entries.findAny().isEmpty()) {
                return "new";
            }
        } catch (IOException e) {
            return "other";
        }
        if (!Files.isRegularFile(directory.resolve("resolved.conf"))) {
            return "other";
        }
        Path summary = directory.resolve("summary.json");
        if (Files.isRegularFile(summary)) {
            try {
                String status = Json.mapper().readTree(summary.toFile()).path("status").asText();
                if (status.equals("completed") || status.equals("failed")) {
                    return status;
                }
            } catch (IOException e) {
                return "resumable";
            }
        }
        return "resumable";
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
            var node = Json.mapper().readTree(directory.resolve("summary.json").toFile()).path("final");
            return String.format(Locale.ROOT, "; balanced accuracy %.2f%%", 100 * node.path("balanced_accuracy").asDouble());
        } catch (IOException e) {
            return "";
        }
    }
}
