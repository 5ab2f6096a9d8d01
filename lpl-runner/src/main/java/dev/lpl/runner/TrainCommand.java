package dev.lpl.runner;

import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.run.PreparedRun;
import dev.lpl.core.train.TrainingEngine.EpochOutcome;
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

/** {@code lpl train}: trains one run and prints its results. */
@Command(name = "train", mixinStandardHelpOptions = true, description = {
    "Train a classifier. Without arguments: LPL on the embedded synthetic long-tailed dataset.",
    "Writes runs/<name>/: resolved.conf, manifest.json, metrics.jsonl, summary.json."})
final class TrainCommand implements Callable<Integer> {

    @ParentCommand
    LplCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Experiment file (HOCON), keys relative to lpl.")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key (repeatable), e.g. --set method.type=ce")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: run.output-root/<run.name>).")
    Path out;

    @Option(names = "--progress", paramLabel = "MODE",
            description = "bar (progress bar with rate and ETA), lines (one line per epoch), none; default: bar on a terminal, else lines")
    String progressMode;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        Bootstrap lpl = parent.bootstrap();
        RunConfig config = lpl.configLoader().load(configFile, overrides);
        ConsoleProgress progress = ConsoleProgress.create(progressMode, stdout);
        try (PreparedRun run = lpl.runFactory().prepare(config, out)) {
            ResultTables.printHeader(stdout, run.description(), run.directory().path());
            EpochOutcome last = run.run(progress);
            ResultTables.printResult(stdout, run.description(), last);
            stdout.println("run directory: " + run.directory().path());
            stdout.flush();
        }
        return 0;
    }
}
