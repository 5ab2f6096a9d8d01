package dev.lpl.runner;

import dev.lpl.api.PluginFactory;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.plugin.PluginKind;
import dev.lpl.core.plugin.PluginRegistry;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lpl list}: every plugin found, by kind and name, with a one-line description. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List every plugin found (methods, strategies, datasets, models, ...).")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    LplCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--origins", description = "Also show which plugin class and jar provide each kind.")
    boolean origins;

    @Override
    public Integer call() {
        Bootstrap lpl = parent.bootstrap();
        PluginRegistry registry = lpl.registry();
        PrintWriter out = spec.commandLine().getOut();
        int kindWidth = Math.max(6, PluginKind.ALL.stream().mapToInt(k -> k.name().length()).max().orElse(8));
        int nameWidth = 4;
        for (PluginKind<?> kind : PluginKind.ALL) {
            for (String name : registry.all(kind).keySet()) {
                nameWidth = Math.max(nameWidth, name.length());
            }
        }
        var presets = lpl.configLoader().presets().all();
        for (String name : presets.keySet()) {
            nameWidth = Math.max(nameWidth, name.length());
        }
        String format = "%-" + kindWidth + "s  %-" + nameWidth + "s  %s%n";
        out.printf(format, "KIND", "NAME", "DESCRIPTION");
        for (PluginKind<?> kind : PluginKind.ALL) {
            for (Map.Entry<String, ? extends PluginFactory> e : registry.all(kind).entrySet()) {
                out.printf(format, kind.name(), e.getKey(), e.getValue().description());
            }
            if (kind == PluginKind.METHOD) {
                presets.values().forEach(p -> out.printf(format, "method-preset", p.name(), p.description()
                        + (p.aliases().isEmpty() ? "" : " [also: " + String.join(", ", p.aliases()) + "]")));
            }
        }
        if (origins) {
            out.println();
            out.println("PLUGINS");
            lpl.plugins().plugins().forEach(p -> out.println("  " + lpl.plugins().origin(p)));
        }
        out.flush();
        return 0;
    }
}
