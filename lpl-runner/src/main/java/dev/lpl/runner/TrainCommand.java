package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.run.MetricsServer;
import dev.lpl.core.run.PreparedRun;
import dev.lpl.core.run.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    ConfigOptions config;

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
            description = "Serve live Prometheus metrics (the run's, the JVM's and the process's) at "
                    + "http://HOST:PORT/metrics while training.")
    Integer metricsPort;

    @Option(names = "--metrics-host", paramLabel = "HOST", defaultValue = MetricsServer.DEFAULT_HOST,
            description = "The address --metrics-port binds (default: ${DEFAULT-VALUE}, this machine only; "
                    + "0.0.0.0 for every interface).")
    String metricsHost;

    @Mixin
    ProgressOption progress;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        if (resume != null && (config.given() || out != null)) {
            throw new LplException("--resume continues a run with its own configuration and directory;"
                    + " drop -c, --set and --out");
        }
        if (dryRun && resume != null) {
            throw new LplException("--dry-run checks a new run's configuration; drop --resume");
        }
        if (metricsPort == null && !MetricsServer.DEFAULT_HOST.equals(metricsHost)) {
            throw new LplException("--metrics-host names the address --metrics-port serves on; add --metrics-port PORT");
        }
        if (fromCheckpoint != null && resume == null) {
            throw new LplException("--from-checkpoint picks the checkpoint --resume continues from;"
                    + " add --resume RUN_DIR");
        }
        Bootstrap lpl = parent.bootstrap();
        if (dryRun) {
            lpl.runFactory().validate(config.load(lpl.configLoader()));
            if (out != null) {
                RunDirectory.requireAvailable(out);
            }
            stdout.println("configuration is valid; nothing written (drop --dry-run to train)");
            stdout.flush();
            return 0;
        }
        ConsoleProgress display = ConsoleProgress.create(progress.mode(), stdout);
        PreparedRun prepared;
        if (resume != null) {
            prepared = lpl.runFactory().resume(lpl.configLoader(), resume, fromCheckpoint);
        } else {
            prepared = lpl.runFactory().prepare(config.load(lpl.configLoader()), out);
        }
        try (PreparedRun run = prepared;
                StopSignals stop = StopSignals.install(spec.commandLine().getErr());
                MetricsServer server = metricsPort == null ? null
                        : new MetricsServer(metricsHost, metricsPort, run.metrics()::scrape)) {
            ResultTables.printHeader(stdout, run.description(), run.directory().path());
            run.resumeNotes().forEach(note -> stdout.println("note: " + note));
            if (run.allEpochsDone()) {
                stdout.printf((run.description().epochs() == 1 ? "the %d epoch was" : "all %d epochs were")
                        + " already checkpointed; finishing the run's bookkeeping"
                        + " (metrics.jsonl, checkpoints/best, summary.json)%n", run.description().epochs());
            } else if (resume != null) {
                stdout.printf("resuming at epoch %d, batch %d%n", run.start().epoch() + 1, run.start().batch());
            }
            if (server != null) {
                stdout.println("metrics: " + server.url());
            }
            stdout.flush();
            PreparedRun.Outcome outcome = run.run(display, stop::requested);
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
