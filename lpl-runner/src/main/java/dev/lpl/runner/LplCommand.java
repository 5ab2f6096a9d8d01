package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.api.UserPaths;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.run.Provenance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level {@code lpl} command and the options every sub-command shares. */
@Command(
        name = "lpl",
        mixinStandardHelpOptions = true,
        versionProvider = LplCommand.Version.class,
        description = "Train image classifiers with logit perturbation (LPL, LA, LDAM, ISDA, ...).",
        subcommands = {TrainCommand.class, ListCommand.class, LossCommand.class, BenchCommand.class, EnvCommand.class,
            ReportCommand.class, CompareCommand.class, ModelsCommand.class, PresetsCommand.class, EvalCommand.class,
            ExportCommand.class, PredictCommand.class, SweepCommand.class,
            DataCommand.class, GanCommand.class, CommandLine.HelpCommand.class})
public final class LplCommand {

    /** Exit status of a user error (bad configuration, data or arguments). */
    public static final int USER_ERROR = 2;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces and DJL's log.")
    boolean debug;

    @Option(names = "--plugins", scope = CommandLine.ScopeType.INHERIT, paramLabel = "DIR",
            description = "Directory of plugin jars (repeatable; also $LPL_PLUGINS, colon-separated).")
    List<Path> pluginDirectories = new ArrayList<>();

    /**
     * Builds the command line with lpl's error handling.
     *
     * @return the command line
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LplCommand());
        // Help wraps at the terminal's width where picocli can tell it, else at 80 columns; descriptions
        // are whole sentences without line breaks, so that a command's summary is never cut.
        cli.setUsageHelpAutoWidth(true);
        // Every path option and parameter (--out, -c, --plugins, RUN_DIR, ...): a leading ~ is the
        // home directory, as in a shell, also where the shell did not expand it (--out=~/x, quoted).
        cli.registerConverter(Path.class, text -> {
            try {
                return UserPaths.expand(text);
            } catch (LplException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean debug = parseResult.originalArgs().contains("--debug");
            Throwable cause = e;
            while (!(cause instanceof LplException) && cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            if (cause instanceof LplException) {
                err.println("error: " + cause.getMessage());
                if (debug) {
                    e.printStackTrace(err);
                } else {
                    err.println("(run with --debug for details)");
                }
                err.flush();
                return USER_ERROR;
            }
            err.println("lpl failed unexpectedly: " + e);
            e.printStackTrace(err);
            err.flush();
            return 1;
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("see: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            err.flush();
            return USER_ERROR;
        });
        return cli;
    }

    /**
     * Starts the framework with the plugin directories of the command line and {@code $LPL_PLUGINS}.
     *
     * @return the framework
     */
    Bootstrap bootstrap() {
        List<Path> dirs = new ArrayList<>(pluginDirectories);
        String env = System.getenv("LPL_PLUGINS");
        if (env != null && !env.isBlank()) {
            for (String dir : env.split(":")) {
                if (!dir.isBlank()) {
                    dirs.add(UserPaths.expand(dir.strip()));
                }
            }
        }
        return Bootstrap.start(dirs);
    }

    /** Prints lpl's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lpl " + Provenance.lplVersion()};
        }
    }
}
