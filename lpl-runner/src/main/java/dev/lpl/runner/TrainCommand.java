package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.run.MetricsServer;
import dev.lpl.core.run.PreparedRun;
import dev.lpl.core.run.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lpl train}: trains one run (or resumes one) and prints its results. */
@Command(name = "train", mixinStandardHelpOptions = true, description = {
    "Train a classifier. Without arguments: LPL on the embedded synthetic long-tailed dataset.",
    "Writes runs/<name>/: resolved.conf, manifest.json, metrics.jsonl, summary.json, checkpoints/.",
    "SIGINT/SIGTERM finish the current step, write a checkpoint and exit with status 3;",
    "--resume RUN_DIR continues from the latest checkpoint (--from-checkpoint NAME: from an earlier one).",
    "A run killed at any instant is resumed the same way and ends as if never interrupted."})
final class TrainCommand implements Callable<Integer> {

    /** Exit status of a run stopped on request (resumable). */
    static final int STOPPED = 3;

    @ParentCommand
    LplCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE|PRESET",
            description = "Experiment file (HOCON), keys relative to lpl, or the name of a bundled preset (lpl presets).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key (repeatable), e.g. --set method.type=ce")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: run.output-root/<run.name>).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue a stopped or interrupted run from its latest checkpoint, with its own configuration.")
    Path resume;

    @Option(names = "--dry-run",
            description = "Check the configuration as a run would before any work (the method against the dataset's"
                    + " number of classes too, where the dataset can tell it without loading); write nothing.")
    boolean dryRun;

    @Option(names = "--from-checkpoint", paramLabel = "NAME",
            description = "With --resume: continue from this checkpoint (e.g. epoch-0004, when the latest is corrupt);"
                    + " the checkpoints after it are discarded and their epochs trained again.")
    String fromCheckpoint;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve live Prometheus metrics at http://127.0.0.1:PORT/metrics while training.")
    Integer metricsPort;

    @Option(names = "--progress", paramLabel = "MODE",
            description = "bar (progress bar with rate and ETA), lines (one line per epoch), none; default: bar on a terminal, else lines")
    String progressMode;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        if (resume != null && (configFile != null || !overrides.isEmpty() || out != null)) {
            throw new LplException("--resume continues a run with its own configuration and directory;"
                    + " drop -c, --set and --out");
        }
        if (dryRun && resume != null) {
            throw new LplException("--dry-run checks a new run's configuration; drop --resume");
        }
        if (fromCheckpoint != null && resume == null) {
            throw new LplException("--from-checkpoint picks the checkpoint --resume continues from;"
                    + " add --resume RUN_DIR");
        }
        Bootstrap lpl = parent.bootstrap();
        if (dryRun) {
            RunConfig config = ExperimentPresets.bundled().load(lpl.configLoader(), configFile, overrides);
            lpl.runFactory().validate(config);
            if (out != null) {
                RunDirectory.requireAvailable(out);
            }
            stdout.println("configuration is valid; nothing written (drop --dry-run to train)");
            stdout.flush();
            return 0;
        }
        ConsoleProgress progress = ConsoleProgress.create(progressMode, stdout);
        PreparedRun prepared;
        if (resume != null) {
            prepared = lpl.runFactory().resume(lpl.configLoader(), resume, fromCheckpoint);
        } else {
            RunConfig config = ExperimentPresets.bundled().load(lpl.configLoader(), configFile, overrides);
            prepared = lpl.runFactory().prepare(config, out);
        }
        try (PreparedRun run = prepared;
                StopSignals stop = StopSignals.install(spec.commandLine().getErr());
                MetricsServer server = metricsPort == null ? null
                        : new MetricsServer(metricsPort, run.metrics()::scrape)) {
            ResultTables.printHeader(stdout, run.description(), run.directory().path());
            run.resumeNotes().forEach(note -> stdout.println("note: " + note));
            if (run.allEpochsDone()) {
                stdout.printf("all %d epochs were already checkpointed; finishing the run's bookkeeping"
                        + " (metrics.jsonl, checkpoints/best, summary.json)%n", run.description().epochs());
            } else if (resume != null) {
                stdout.printf("resuming at epoch %d, batch %d%n", run.start().epoch() + 1, run.start().batch());
            }
            if (server != null) {
                stdout.printf("metrics: http://127.0.0.1:%d/metrics%n", server.port());
            }
            stdout.flush();
            PreparedRun.Outcome outcome = run.run(progress, stop::requested);
            if (outcome.status() == PreparedRun.Status.STOPPED) {
                stdout.println();
                stdout.println("stopped; checkpoint " + outcome.checkpoint());
                stdout.println("resume with: lpl train --resume " + run.directory().path());
                stdout.flush();
                return STOPPED;
            }
            if (outcome.last() != null) {
                ResultTables.printResult(stdout, run.description(), outcome.last());
                ResultTables.printSelection(stdout, run.directory().path());
            } else if (run.allEpochsDone()) {
                stdout.println("run completed (summary.json: status completed)");
                ResultTables.printSelection(stdout, run.directory().path());
            }
            stdout.println("run directory: " + run.directory().path());
            stdout.flush();
        }
        return 0;
    }
}
