package dev.lpl.runner;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code lpl gan}: class-conditional GANs for generative augmentation (CGAN, ACGAN, infoGAN). */
@Command(name = "gan", mixinStandardHelpOptions = true,
        description = "Class-conditional GANs (cgan, acgan, infogan) whose frozen generator supplies a share of "
                + "every classifier batch (data.augment.generated).",
        subcommands = {GanTrainCommand.class, CommandLine.HelpCommand.class})
final class GanCommand implements Runnable {

    @ParentCommand
    LplCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "choose a sub-command: lpl gan train -c FILE, or lpl gan train --resume RUN_DIR");
    }
}
