package dev.lpl.runner;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code lpl data}: dataset chores — download ahead of time, describe a configured training set. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Datasets: fetch (download into the cache) and describe (class counts, imbalance, shot groups).",
        subcommands = {DataFetchCommand.class, DataDescribeCommand.class, CommandLine.HelpCommand.class})
final class DataCommand implements Runnable {

    @ParentCommand
    LplCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "choose a sub-command: lpl data fetch NAME, or lpl data describe [-c FILE] [--set KEY=VALUE]");
    }
}
