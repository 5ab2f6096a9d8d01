package dev.lpl.runner;

import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.run.EngineSession;
import dev.lpl.core.run.EnvReport;
import dev.lpl.core.run.Json;
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

/**
 * {@code lpl env}: what to paste into a bug report ({@link EnvReport}). The engine is started
 * through the configuration's {@link EngineSession} (so {@code --set training.backend=cpu} or
 * {@code --set training.threads=1} show what a run with those settings would get); where it cannot
 * start, the report says why and the command still succeeds.
 */
@Command(name = "env", mixinStandardHelpOptions = true, description = {
    "Print the environment for a bug report: lpl and Java versions, OS, the engine and where its native library"
            + " came from, devices and what training.backend resolves to, threads, CPU features, the allocator"
            + " tuning and the offline switches."})
final class EnvCommand implements Callable<Integer> {

    @ParentCommand
    LplCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Experiment file whose settings to use.")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one key (repeatable), e.g. --set training.backend=cpu")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object (sections of keys) instead of aligned text.")
    boolean json;

    @Override
    public Integer call() {
        Bootstrap lpl = parent.bootstrap();
        RunConfig config = lpl.configLoader().load(configFile, overrides);
        EnvReport report = EnvReport.collect(lpl.runFactory().engineSession(config.settings()));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.pretty(report.sections()) : report.text());
        out.flush();
        return 0;
    }
}
