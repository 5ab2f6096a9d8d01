package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.core.config.ConfigLoader;
import dev.lpl.core.config.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of every command that runs on one configuration, as a picocli mixin: {@code
 * -c/--config FILE|PRESET} (an experiment file, or the name of a bundled experiment preset) and
 * {@code --set KEY=VALUE} (repeatable), resolved in one way for all of them ({@link #load}): an
 * existing file as it is, otherwise a name without directory part as the bundled preset of that
 * name ({@link ExperimentPresets#load}), so that a mistyped name gets the same one-line error with
 * its did-you-mean in every command.
 *
 * <p>Used by {@code lpl train}, {@code lpl gan train}, {@code lpl data describe}, {@code lpl data
 * fetch} and {@code lpl loss}. Three commands keep options of their own on purpose, since theirs
 * mean something else: {@code lpl sweep -c} names a sweep file or bundled sweep ({@code
 * presets/sweeps/}), not a run's configuration; {@code lpl bench} and {@code lpl models} take no
 * {@code -c} and their {@code --set} applies to every method or network they build in turn.
 */
final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE|PRESET",
            description = "Experiment file (HOCON), keys relative to lpl, or the name of a bundled experiment preset"
                    + " (lpl presets).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one key (repeatable; applied in order, after -c), e.g. --set run.seed=2")
    List<String> overrides = new ArrayList<>();

    /**
     * Tells whether either option was given.
     *
     * @return true when {@code -c} or a {@code --set} is on the command line
     */
    boolean given() {
        return file != null || !overrides.isEmpty();
    }

    /**
     * Loads the configuration of {@code -c} and the {@code --set} overrides.
     *
     * @param loader the configuration loader
     * @return the validated configuration
     * @throws LplException when {@code -c} names neither a file nor a bundled preset, or
     *     the configuration is invalid
     */
    RunConfig load(ConfigLoader loader) {
        return load(loader, List.of(), List.of());
    }

    /**
     * Loads the configuration of {@code -c} with the {@code --set} overrides between keys the command
     * sets itself: {@code before} (the command's defaults, which a {@code --set} may change) and
     * {@code after} (what the command's own arguments fix, e.g. the dataset {@code lpl data fetch
     * NAME} names).
     *
     * @param loader the configuration loader
     * @param before overrides applied before the {@code --set} ones
     * @param after overrides applied after the {@code --set} ones
     * @return the validated configuration
     * @throws LplException when {@code -c} names neither a file nor a bundled preset, or
     *     the configuration is invalid
     */
    RunConfig load(ConfigLoader loader, List<String> before, List<String> after) {
        List<String> all = new ArrayList<>(before);
        all.addAll(overrides);
        all.addAll(after);
        return ExperimentPresets.bundled().load(loader, file, all);
    }
}
