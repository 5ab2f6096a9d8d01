package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.runner.compare.ComparisonTable;
import dev.lpl.runner.compare.GroupKey;
import dev.lpl.runner.report.RunDirectoryReader;
import dev.lpl.runner.report.RunResults;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lpl compare}: runs grouped by method (or another key), mean ± std over their seeds. */
@Command(name = "compare", mixinStandardHelpOptions = true, description = {
    "Compare runs: one row per group (default: per method) with the number of runs and, in %%, the mean ±",
    "sample std of top-1 error, balanced accuracy, many/medium/few-shot accuracy and ECE over its runs.",
    "Each argument is a run directory or a directory of run directories (one level).",
    "Runs that did not complete are left out (with a warning) unless --include-incomplete."})
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories, or directories of runs.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--group-by", paramLabel = "KEY", defaultValue = "method",
            description = "method, dataset, ratio (data.long-tail.ratio) or a configuration key such as "
                    + "method.lpl.optimizer.pgd.alpha; default: ${DEFAULT-VALUE}.")
    String groupBy;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "markdown",
            description = "markdown or csv; default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--metric", paramLabel = "EPOCH", defaultValue = "final",
            description = "final (last epoch) or best (epoch with the best balanced accuracy); default: ${DEFAULT-VALUE}.")
    String metric;

    @Option(names = "--include-incomplete",
            description = "Include runs whose status is not completed (their last finished epoch).")
    boolean includeIncomplete;

    @Override
    public Integer call() {
        boolean csv = switch (format.toLowerCase(Locale.ROOT)) {
            case "markdown", "md" -> false;
            case "csv" -> true;
            default -> throw new LplException("--format " + format + ": expected markdown or csv");
        };
        RunResults.Metric epoch = switch (metric.toLowerCase(Locale.ROOT)) {
            case "final" -> RunResults.Metric.FINAL;
            case "best" -> RunResults.Metric.BEST;
            default -> throw new LplException("--metric " + metric + ": expected final or best");
        };
        GroupKey key = GroupKey.parse(groupBy);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<Path, Path> directories = new LinkedHashMap<>();
        for (Path path : paths) {
            for (Path run : RunDirectoryReader.findRuns(path)) {
                directories.putIfAbsent(run.toAbsolutePath().normalize(), run);
            }
            for (Path started : RunDirectoryReader.findUnfinishedRuns(path)) {
                err.println("warning: left out " + started + ": no finished epoch yet (no summary.json)");
            }
        }
        err.flush();
        List<RunResults> runs = directories.values().stream().map(RunDirectoryReader::readSummary).toList();
        ComparisonTable table = ComparisonTable.of(runs, key, epoch, includeIncomplete);
        if (!includeIncomplete && !table.incomplete().isEmpty()) {
            int n = table.incomplete().size();
            err.println("warning: left out " + n + " incomplete run" + (n == 1 ? "" : "s")
                    + " (--include-incomplete includes them): " + ComparisonTable.describe(table.incomplete()));
            err.flush();
        }
        if (table.rows().isEmpty()) {
            throw new LplException("no completed run among the " + runs.size()
                    + " given; --include-incomplete compares their last finished epochs");
        }
        if (csv) {
            out.print(table.csv());
            if (includeIncomplete && !table.incomplete().isEmpty()) {
                err.println("note: " + table.notes().get(table.notes().size() - 1));
                err.flush();
            }
        } else {
            out.print(table.markdown());
            out.println();
            table.notes().forEach(out::println);
        }
        out.flush();
        return 0;
    }
}
