package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.gan.GanRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lpl gan train}: trains (or resumes) a GAN run. */
@Command(name = "train", mixinStandardHelpOptions = true, description = {
    "Train a class-conditional GAN (gan.type = cgan | acgan | infogan) on the training set as lpl loads it.",
    "Writes runs/<name>/: resolved.conf, manifest.json (kind gan), metrics.jsonl, summary.json, checkpoints/",
    "(G, D, both Adam states) and samples/epoch-NNNN.png (one row per class).",
    "SIGINT/SIGTERM write a checkpoint and exit with status 3; --resume RUN_DIR continues exactly."})
final class GanTrainCommand implements Callable<Integer> {

    @ParentCommand
    GanCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: run.output-root/<run.name>).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue a stopped or interrupted GAN run.")
    Path resume;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        if (resume != null && (config.given() || out != null)) {
            throw new LplException("--resume continues a GAN run with its own configuration and directory;"
                    + " drop -c, --set and --out");
        }
        Bootstrap lpl = parent.parent.bootstrap();
        GanRun prepared;
        if (resume != null) {
            prepared = GanRun.resume(lpl.runFactory(), lpl.configLoader(), resume);
        } else {
            prepared = GanRun.prepare(lpl.runFactory(), lpl.configLoader(), config.load(lpl.configLoader()), out);
        }
        try (GanRun run = prepared; StopSignals stop = StopSignals.install(spec.commandLine().getErr())) {
            stdout.println("GAN run " + run.name() + " (" + run.model().spec().variant().configName() + ", "
                    + run.model().spec().classes() + " classes) -> " + run.directory().path());
            if (resume != null) {
                stdout.printf("resuming at epoch %d, batch %d%n", run.start()[0] + 1, run.start()[1]);
            }
            stdout.flush();
            GanRun.Status status = run.run(stdout, stop::requested);
            if (status == GanRun.Status.STOPPED) {
                stdout.println("stopped; checkpoint " + run.stopCheckpoint());
                stdout.println("resume with: lpl gan train --resume " + run.directory().path());
                stdout.flush();
                return TrainCommand.STOPPED;
            }
            stdout.println("run directory: " + run.directory().path());
            stdout.println("use it: --set data.augment.generated.run=" + run.directory().path());
            stdout.flush();
        }
        return 0;
    }
}
