package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.runner.compare.ComparisonTableTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lpl report} and {@code lpl compare} on the command line. */
class ReportAndCompareCommandTest {

    @TempDir
    Path tmp;

    @Test
    void reportWritesThePageAndSaysWhere() {
        Path run = RunFixture.named("r").write(tmp.resolve("r"));
        CommandLineTest.Result r = CommandLineTest.lpl("report", run.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("report: " + run.resolve("report/index.html") + " (7 plots)\n");
        assertThat(run.resolve("report/index.html")).isRegularFile();

        Path legacy = RunFixture.named("old").legacy().write(tmp.resolve("old"));
        Path out = tmp.resolve("pages/old");
        CommandLineTest.Result old = CommandLineTest.lpl("report", legacy.toString(), "--out", out.toString());
        assertThat(old.code()).isZero();
        assertThat(old.out()).isEqualTo(
                "note: not drawn: Relative loss variation: metrics.jsonl has no relative_loss_variation (a run written by an older lpl)\n"
                + "note: not drawn: Reliability diagram: summary.json has no calibration (a run written by an older lpl)\n"
                + "report: " + out.resolve("index.html") + " (4 plots)\n");
        assertThat(legacy.resolve("report")).doesNotExist();
    }

    @Test
    void reportErrorsAreOneLine() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CommandLineTest.Result r = CommandLineTest.lpl("report", empty.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow())
                .isEqualTo("error: not a run directory: " + empty + " (no summary.json; lpl train writes it after the first epoch)");
        assertThat(r.err()).doesNotContain("at dev.lpl");

        Path run = RunFixture.named("r").write(tmp.resolve("r"));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"epoch\": 1}\nnot json\n");
        CommandLineTest.Result bad = CommandLineTest.lpl("report", run.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().lines().findFirst().orElseThrow())
                .startsWith("error: malformed JSON in " + run.resolve("metrics.jsonl") + " line 2: ");
        assertThat(run.resolve("report")).doesNotExist();

        CommandLineTest.Result missing = CommandLineTest.lpl("report");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required parameter: 'RUN_DIR'");
    }

    @Test
    void compareADirectoryOfRunsAsMarkdownAndCsv() {
        ComparisonTableTest.sixRuns(tmp.resolve("runs"));
        CommandLineTest.Result md = CommandLineTest.lpl("compare", tmp.resolve("runs").toString());
        assertThat(md.err()).isEmpty();
        assertThat(md.code()).isZero();
        assertThat(md.out()).isEqualTo(ComparisonTableTest.MARKDOWN + "\n"
                + "Figures of each run's final epoch, in %: mean ± sample standard deviation over the runs of each group.\n");

        CommandLineTest.Result csv = CommandLineTest.lpl("compare", "--format", "csv",
                tmp.resolve("runs/ce-1").toString(), tmp.resolve("runs").toString());
        assertThat(csv.err()).isEmpty();
        assertThat(csv.out()).isEqualTo(ComparisonTableTest.CSV); // ce-1 counted once

        CommandLineTest.Result ratio = CommandLineTest.lpl("compare", "--group-by", "method,ratio", "--metric",
                "test-selected", tmp.resolve("runs").toString());
        assertThat(ratio.code()).isZero();
        assertThat(ratio.out()).startsWith("| method (selected on test) | ratio |   n |")
                .contains("| 100   |   3 |").contains("selected on test: optimistic");

        CommandLineTest.Result latex = CommandLineTest.lpl("compare", "--format", "latex", tmp.resolve("runs").toString());
        assertThat(latex.code()).isZero();
        assertThat(latex.out()).startsWith("\\begin{tabular}{lrrrrrrr}\n\\toprule\nmethod & $n$ & top-1 error (\\%)")
                .contains("\\bottomrule\n\\end{tabular}\n% Figures of each run's final epoch");
        CommandLineTest.Result testCsv = CommandLineTest.lpl("compare", "--format", "csv", "--metric", "test-selected",
                tmp.resolve("runs").toString());
        assertThat(testCsv.out()).startsWith("method,n,").contains(",selected_on\n").contains(",test\n");
        assertThat(testCsv.err()).contains("note: Figures of each run's epoch with the best test balanced accuracy (selected on test");
    }

    @Test
    void compareRefusesMixedRunsAndUnknownKeysInOneLine() {
        Path a = RunFixture.named("a").method("ce").seed(1).config("data.synthetic.imbalance-ratio", 100).write(tmp.resolve("runs/a"));
        Path b = RunFixture.named("b").method("ce").seed(2).config("data.synthetic.imbalance-ratio", 10).write(tmp.resolve("runs/b"));
        CommandLineTest.Result mixed = CommandLineTest.lpl("compare", tmp.resolve("runs").toString());
        assertThat(mixed.code()).isEqualTo(2);
        assertThat(mixed.out()).isEmpty();
        assertThat(mixed.err()).doesNotContain("at dev.lpl");
        assertThat(mixed.err().lines().findFirst().orElseThrow()).isEqualTo("error: runs in row ce differ in data.synthetic.imbalance-ratio (100 in " + a
                + ", 10 in " + b + "); compare them separately, group by that key too (--group-by "
                + "method,data.synthetic.imbalance-ratio) or pass --allow-mixed");

        CommandLineTest.Result allowed = CommandLineTest.lpl("compare", "--allow-mixed", tmp.resolve("runs").toString());
        assertThat(allowed.code()).isZero();
        assertThat(allowed.out()).contains("| ce     |   2 |").endsWith("Pooled despite differing settings (--allow-mixed): "
                + "row ce: data.synthetic.imbalance-ratio (100 in " + a + ", 10 in " + b + ").\n");

        CommandLineTest.Result unknown = CommandLineTest.lpl("compare", "--group-by", "no.such.key", tmp.resolve("runs").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: --group-by no.such.key: no run's configuration has this key")
                .doesNotContain("at dev.lpl");
        CommandLineTest.Result typo = CommandLineTest.lpl("compare", "--group-by", "data.synthetic.imbalance-ration",
                tmp.resolve("runs").toString());
        assertThat(typo.err().lines().findFirst().orElseThrow()).isEqualTo("error: --group-by data.synthetic.imbalance-ration: no run's configuration has "
                + "this key; did you mean data.synthetic.imbalance-ratio? (see a run's resolved.conf; or method, dataset, label, ratio)");

        CommandLineTest.Result best = CommandLineTest.lpl("compare", "--metric", "best", "--group-by",
                "data.synthetic.imbalance-ratio", tmp.resolve("runs").toString());
        assertThat(best.code()).isEqualTo(2);
        assertThat(best.err()).startsWith("error: --metric best needs a validation split, and " + a + " has none").doesNotContain("at dev.lpl");
    }

    @Test
    void compareWithABaselineAndPlots() throws Exception {
        ComparisonTableTest.sixRuns(tmp.resolve("runs"));
        Path plots = tmp.resolve("plots");
        CommandLineTest.Result r = CommandLineTest.lpl("compare", "--baseline", "ce", "--plot", plots.toString(),
                tmp.resolve("runs").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("| lpl    |   3 |").contains("+9.00 [+6.52, +11.48] | 0.004 |").contains("|   paired |")
                .contains("Δ: each group's mean minus the baseline ce's");
        assertThat(r.err()).isEqualTo("note: not drawn: val-balanced-accuracy: no run has a validation split "
                + "(val_balanced_accuracy)\nplots: 6 files in " + plots + "\n");
        for (String name : List.of("balanced-accuracy", "per-class-accuracy")) {
            assertThat(Files.size(plots.resolve(name + ".png"))).isGreaterThan(1000);
            assertThat(Files.readString(plots.resolve(name + ".svg"))).contains("<svg");
        }
        CommandLineTest.Result unknown = CommandLineTest.lpl("compare", "--baseline", "lp", tmp.resolve("runs").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: --baseline lp: no such group; did you mean lpl? (the groups: ce; lpl)\n");
    }

    @Test
    void incompleteRunsAreLeftOutWithAWarningUnlessIncluded() throws Exception {
        ComparisonTableTest.sixRuns(tmp.resolve("runs"));
        Path running = RunFixture.named("ce-4").method("ce").seed(4).status("running", 2)
                .figures(0.90, 0.10, 0.10, 0.10, null, 0.50).write(tmp.resolve("runs/ce-4"));
        CommandLineTest.Result r = CommandLineTest.lpl("compare", tmp.resolve("runs").toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEqualTo("warning: left out 1 incomplete run (--include-incomplete includes them): "
                + running + " (running, 2 of 3 epochs)\n");
        assertThat(r.out()).startsWith(ComparisonTableTest.MARKDOWN);

        CommandLineTest.Result included = CommandLineTest.lpl("compare", "--include-incomplete", tmp.resolve("runs").toString());
        assertThat(included.err()).isEmpty();
        assertThat(included.out()).contains("| ce     |   4 |")
                .endsWith("Included 1 incomplete run (figures of the last finished epoch): " + running
                        + " (running, 2 of 3 epochs).\n");

        CommandLineTest.Result csv = CommandLineTest.lpl("compare", "--include-incomplete", "--format", "csv",
                tmp.resolve("runs").toString());
        assertThat(csv.out()).startsWith("method,n,").contains("\nce,4,");
        assertThat(csv.err()).startsWith("note: Included 1 incomplete run");

        Path started = tmp.resolve("runs/lpl-4");
        Files.createDirectories(started);
        Files.writeString(started.resolve("manifest.json"), "{}");
        CommandLineTest.Result withStarted = CommandLineTest.lpl("compare", tmp.resolve("runs").toString());
        assertThat(withStarted.err()).startsWith(
                "warning: left out " + started + ": no finished epoch yet (no summary.json)\nwarning: left out 1 incomplete run");
        assertThat(withStarted.out()).startsWith(ComparisonTableTest.MARKDOWN);

        CommandLineTest.Result onlyRunning = CommandLineTest.lpl("compare", running.toString());
        assertThat(onlyRunning.code()).isEqualTo(2);
        assertThat(onlyRunning.err()).contains(
                "error: no completed run among the 1 given; --include-incomplete compares their last finished epochs");
    }

    @Test
    void compareErrors() throws Exception {
        Path run = RunFixture.named("r").write(tmp.resolve("r"));
        CommandLineTest.Result format = CommandLineTest.lpl("compare", "--format", "xlsx", run.toString());
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.err()).startsWith("error: --format xlsx: expected markdown, csv or latex\n");
        CommandLineTest.Result metric = CommandLineTest.lpl("compare", "--metric", "median", run.toString());
        assertThat(metric.err()).startsWith("error: --metric median: expected final, best (selected on validation) or "
                + "test-selected (selected on test)\n");
        Path nothing = Files.createDirectories(tmp.resolve("nothing"));
        CommandLineTest.Result empty = CommandLineTest.lpl("compare", nothing.toString());
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).startsWith("error: not a run directory nor a directory of runs: " + nothing);
        Files.writeString(run.resolve("summary.json"), "{ \"run\": ");
        CommandLineTest.Result malformed = CommandLineTest.lpl("compare", run.toString());
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).startsWith("error: malformed JSON in " + run.resolve("summary.json") + " line 1: ");
        CommandLineTest.Result none = CommandLineTest.lpl("compare");
        assertThat(none.code()).isEqualTo(2);
    }

    @Test
    void bothCommandsHaveHelp() {
        for (String command : new String[] {"report", "compare"}) {
            CommandLineTest.Result r = CommandLineTest.lpl(command, "--help");
            assertThat(r.code()).as(command).isZero();
            assertThat(r.out()).startsWith("Usage: lpl " + command);
        }
    }
}
