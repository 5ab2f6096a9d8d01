package dev.lpl.runner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.lpl.api.LplException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lpl presets}: the bundled experiment presets (the paper's settings), each runnable as
 * {@code lpl train -c NAME}; {@code lpl presets NAME} prints the keys one sets.
 */
@Command(name = "presets", mixinStandardHelpOptions = true, description = {
    "List the bundled experiment presets (the papers' settings), each runnable as lpl train -c NAME.",
    "With a NAME: print the keys that experiment preset sets (its file with its includes, relative to lpl).",
    "Then the bundled sweeps (ablations, comparisons), each runnable as lpl sweep -c NAME.",
    "Method presets such as ldam-drw or la+lpl (method.type = NAME) are listed by lpl list."})
final class PresetsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Show this experiment preset's keys.")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ExperimentPresets presets = ExperimentPresets.bundled();
        ExperimentPresets sweeps = ExperimentPresets.bundledSweeps();
        if (name != null && presets.find(name).isEmpty() && sweeps.find(name).isPresent()) {
            ExperimentPresets.Preset sweep = sweeps.find(name).get();
            out.println("# " + sweep.name() + ": " + sweep.description());
            out.println("# lpl sweep -c " + sweep.name() + "   (the bundled sweep file as it is)");
            out.print(sweeps.text(sweep));
            out.flush();
            return 0;
        }
        if (name != null) {
            ExperimentPresets.Preset preset = presets.find(name).orElseThrow(() -> {
                String nearest = presets.nearest(name);
                String sweep = sweeps.nearest(name);
                String suggestion = nearest != null ? nearest : sweep;
                return new LplException("no bundled experiment preset or sweep is named " + name
                        + (suggestion == null ? "" : "; did you mean " + suggestion + "?") + " (lpl presets lists them)");
            });
            Config config = presets.parse(preset);
            out.println("# " + preset.name() + ": " + preset.description());
            out.println("# lpl train -c " + preset.name() + "   (keys relative to lpl; defaults apply to the rest)");
            out.print(config.root().render(ConfigRenderOptions.defaults()
                    .setOriginComments(false).setComments(false).setJson(false).setFormatted(true)));
            out.flush();
            return 0;
        }
        List<ExperimentPresets.Preset> all = presets.all();
        int width = Math.max(4, all.stream().mapToInt(p -> p.name().length()).max().orElse(4));
        String format = "%-" + width + "s  %s%n";
        out.printf(format, "NAME", "DESCRIPTION");
        all.forEach(p -> out.printf(format, p.name(), p.description()));
        out.println();
        out.println("Run one: lpl train -c NAME [--set KEY=VALUE ...]; show its keys: lpl presets NAME.");
        List<ExperimentPresets.Preset> bundledSweeps = sweeps.all();
        if (!bundledSweeps.isEmpty()) {
            int sweepWidth = Math.max(5, bundledSweeps.stream().mapToInt(p -> p.name().length()).max().orElse(5));
            String sweepFormat = "%-" + sweepWidth + "s  %s%n";
            out.println();
            out.printf(sweepFormat, "SWEEP", "DESCRIPTION");
            bundledSweeps.forEach(p -> out.printf(sweepFormat, p.name(), p.description()));
            out.println();
            out.println("Run one: lpl sweep -c NAME (runs go to runs/NAME; again to resume); show it: lpl presets NAME.");
        }
        out.flush();
        return 0;
    }
}
