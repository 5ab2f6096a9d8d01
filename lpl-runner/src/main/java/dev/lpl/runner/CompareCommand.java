package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.runner.compare.ComparisonPlots;
import dev.lpl.runner.compare.ComparisonTable;
import dev.lpl.runner.compare.GroupKey;
import dev.lpl.runner.compare.Selection;
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

/** {@code lpl compare}: runs grouped by method (or other keys), mean ± std over their seeds. */
@Command(name = "compare", mixinStandardHelpOptions = true, description = {
    "Compare runs in a table, one row per group of runs (default: per method).",
    "Each row has the number of runs and, in %%, the mean ± sample std of top-1 error, balanced accuracy,"
            + " many/medium/few-shot accuracy and ECE over its runs.",
    "Each argument is a run directory or a directory of run directories (one level).",
    "Runs in one row must agree on every setting that changes a result but the seed (else an error names"
            + " the differing keys; --allow-mixed pools them anyway and lists the differences).",
    "Runs that did not complete are left out (with a warning) unless --include-incomplete."})
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories, or directories of runs.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--group-by", paramLabel = "KEYS", defaultValue = "method",
            description = "method, dataset, label (run.label: a sweep variant), ratio (data.long-tail.ratio) or a configuration key such as "
                    + "method.lpl.optimizer.pgd.alpha; several separated by commas; default: ${DEFAULT-VALUE}.")
    String groupBy;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "markdown",
            description = "markdown, csv or latex (a booktabs tabular); default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--metric", paramLabel = "EPOCH", defaultValue = "final",
            description = "final (last epoch), best (the epoch with the best validation balanced accuracy; needs "
                    + "data.validation) or test-selected (the epoch with the best test balanced accuracy: optimistic, "
                    + "labelled so); default: ${DEFAULT-VALUE}.")
    String metric;

    @Option(names = "--baseline", paramLabel = "GROUP",
            description = "Add each group's difference to this group (balanced accuracy and top-1 error) with a 95%% "
                    + "confidence interval and a t-test's p-value (paired by seed when both hold the same seeds, "
                    + "else Welch's).")
    String baseline;

    @Option(names = "--allow-mixed",
            description = "Pool runs that differ in settings other than the grouping and the seed; the differences "
                    + "are listed under the table.")
    boolean allowMixed;

    @Option(names = "--plot", paramLabel = "DIR",
            description = "Also write PNG and SVG figures into DIR: balanced accuracy per epoch (test, and validation "
                    + "when recorded) and the final per-class accuracy, one series per group.")
    Path plot;

    @Option(names = "--include-incomplete",
            description = "Include runs whose status is not completed (their last finished epoch).")
    boolean includeIncomplete;

    @Override
    public Integer call() {
        String kind = switch (format.toLowerCase(Locale.ROOT)) {
            case "markdown", "md" -> "markdown";
            case "csv" -> "csv";
            case "latex", "tex" -> "latex";
            default -> throw new LplException("--format " + format + ": expected markdown, csv or latex");
        };
        Selection selection = Selection.parse(metric);
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
        ComparisonTable table = ComparisonTable.of(runs, ComparisonTable.Options.groupBy(key).withSelection(selection)
                .withIncomplete(includeIncomplete).withAllowMixed(allowMixed).withBaseline(baseline));
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
        switch (kind) {
            case "csv" -> {
                out.print(table.csv());
                // CSV has no room for notes: the ones a reader must see go to stderr
                List<String> notes = table.notes();
                for (String note : notes.subList(1, notes.size())) {
                    err.println("note: " + note);
                }
                if (selection != Selection.FINAL) {
                    err.println("note: " + notes.get(0));
                }
                err.flush();
            }
            case "latex" -> out.print(table.latex());
            default -> {
                out.print(table.markdown());
                out.println();
                table.notes().forEach(out::println);
            }
        }
        out.flush();
        if (plot != null) {
            ComparisonPlots.Written written = ComparisonPlots.write(table, plot);
            for (String note : written.notes()) {
                err.println("note: " + note);
            }
            err.println("plots: " + Plural.of(written.files().size(), "file") + " in " + plot);
            err.flush();
        }
        return 0;
    }
}
