package dev.lpl.runner.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.LplException;
import dev.lpl.runner.RunFixture;
import dev.lpl.runner.report.RunDirectoryReader;
import dev.lpl.runner.report.RunResults;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three seeds of two methods. The expected figures are worked out by hand:
 * ce top-1 error 30, 32, 34 → mean 32, deviations −2, 0, 2 → std √(8/2) = 2;
 * ce balanced 60, 62, 67 → 63, −3, −1, 4 → √(26/2) = 3.61;
 * lpl top-1 error 25, 26, 30 → 27, −2, −1, 3 → √(14/2) = 2.65;
 * lpl few-shot 40, —, 50 → 45 over two runs, √(50/1) = 7.07.
 */
public class ComparisonTableTest {

    public static final String MARKDOWN = """
            | method |   n | top-1 error (%) | balanced acc. (%) | many-shot (%) | medium-shot (%) |          few-shot (%) |      ECE (%) |
            | :----- | --: | --------------: | ----------------: | ------------: | --------------: | --------------------: | -----------: |
            | ce     |   3 |    32.00 ± 2.00 |      63.00 ± 3.61 |  80.00 ± 0.00 |    55.00 ± 5.00 |                     — | 12.00 ± 2.00 |
            | lpl    |   3 |    27.00 ± 2.65 |      72.00 ± 2.65 |  80.00 ± 2.00 |    65.00 ± 5.00 | 45.00 ± 7.07 (2 of 3) |  6.00 ± 1.00 |
            """;

    public static final String CSV = """
            method,n,top1_error_pct_mean,top1_error_pct_std,balanced_accuracy_pct_mean,balanced_accuracy_pct_std,\
            many_shot_accuracy_pct_mean,many_shot_accuracy_pct_std,medium_shot_accuracy_pct_mean,medium_shot_accuracy_pct_std,\
            few_shot_accuracy_pct_mean,few_shot_accuracy_pct_std,ece_pct_mean,ece_pct_std
            ce,3,32,2,63,3.605551,80,0,55,5,,,12,2
            lpl,3,27,2.645751,72,2.645751,80,2,65,5,45,7.071068,6,1
            """;

    @TempDir
    Path tmp;

    List<RunResults> runs;

    /**
     * Writes the six runs; ratios 100, 100, 10 for ce and 100.0, 10, 10 for lpl.
     *
     * @param root where
     * @return the run directories
     */
    public static List<Path> sixRuns(Path root) {
        return List.of(
                RunFixture.named("ce-1").method("ce").seed(1).ratio(100).figures(0.30, 0.60, 0.80, 0.50, null, 0.10).write(root.resolve("ce-1")),
                RunFixture.named("ce-2").method("ce").seed(2).ratio(100).figures(0.32, 0.62, 0.80, 0.55, null, 0.12).write(root.resolve("ce-2")),
                RunFixture.named("ce-3").method("ce").seed(3).ratio(10).figures(0.34, 0.67, 0.80, 0.60, null, 0.14).write(root.resolve("ce-3")),
                RunFixture.named("lpl-1").method("lpl").seed(1).ratio(100.0).alpha(0.1).figures(0.25, 0.70, 0.78, 0.60, 0.40, 0.05).write(root.resolve("lpl-1")),
                RunFixture.named("lpl-2").method("lpl").seed(2).ratio(10).alpha(0.1).figures(0.26, 0.71, 0.80, 0.65, null, 0.06).write(root.resolve("lpl-2")),
                RunFixture.named("lpl-3").method("lpl").seed(3).ratio(10).alpha(0.2).figures(0.30, 0.75, 0.82, 0.70, 0.50, 0.07).write(root.resolve("lpl-3")));
    }

    @BeforeEach
    void writeRuns() {
        runs = sixRuns(tmp).stream().map(RunDirectoryReader::readSummary).toList();
    }

    @Test
    void groupsByMethodWithMeanAndSampleStd() {
        ComparisonTable table = ComparisonTable.of(runs, GroupKey.parse("method"), RunResults.Metric.FINAL, false);
        assertThat(table.rows()).extracting(ComparisonTable.Row::group).containsExactly("ce", "lpl");
        ComparisonTable.Row ce = table.rows().get(0);
        assertThat(ce.n()).isEqualTo(3);
        assertThat(ce.get(ComparisonTable.Column.TOP1_ERROR).mean()).isCloseTo(0.32, within(1e-12));
        assertThat(ce.get(ComparisonTable.Column.TOP1_ERROR).std()).isCloseTo(0.02, within(1e-12));
        assertThat(ce.get(ComparisonTable.Column.BALANCED_ACCURACY).std()).isCloseTo(Math.sqrt(0.0026 / 2), within(1e-12));
        assertThat(ce.get(ComparisonTable.Column.FEW_SHOT).isEmpty()).isTrue();
        ComparisonTable.Row lpl = table.rows().get(1);
        assertThat(lpl.get(ComparisonTable.Column.TOP1_ERROR).std()).isCloseTo(Math.sqrt(0.0014 / 2), within(1e-12));
        assertThat(lpl.get(ComparisonTable.Column.FEW_SHOT).count()).isEqualTo(2);
        assertThat(lpl.get(ComparisonTable.Column.FEW_SHOT).std()).isCloseTo(Math.sqrt(0.005), within(1e-12));
        assertThat(lpl.get(ComparisonTable.Column.ECE).mean()).isCloseTo(0.06, within(1e-12));

        assertThat(table.markdown()).isEqualTo(MARKDOWN);
        assertThat(table.csv()).isEqualTo(CSV);
        assertThat(table.notes()).containsExactly(
                "Figures of each run's final epoch, in %: mean ± sample standard deviation over the runs of each group.");
    }

    @Test
    void groupsByRatioNumerically() {
        ComparisonTable table = ComparisonTable.of(runs, GroupKey.parse("ratio"), RunResults.Metric.FINAL, false);
        // 10: ce-3, lpl-2, lpl-3; 100 (and 100.0): ce-1, ce-2, lpl-1
        assertThat(table.rows()).extracting(ComparisonTable.Row::group).containsExactly("10", "100");
        assertThat(table.rows()).extracting(ComparisonTable.Row::n).containsExactly(3, 3);
        String markdown = table.markdown();
        assertThat(markdown.lines().findFirst().orElseThrow()).startsWith("| ratio |   n | top-1 error (%) |");
        // 10: errors 34, 26, 30 → 30 ± 4; balanced 67, 71, 75 → 71 ± 4
        assertThat(markdown).contains("| 10    |   3 |    30.00 ± 4.00 |      71.00 ± 4.00 |");
        // 100: errors 30, 32, 25 → 29 ± √13; balanced 60, 62, 70 → 64 ± √28
        assertThat(markdown).contains("| 100   |   3 |    29.00 ± 3.61 |      64.00 ± 5.29 |");
    }

    @Test
    void groupsByAnyConfigurationKey() {
        ComparisonTable table = ComparisonTable.of(runs, GroupKey.parse("method.lpl.optimizer.pgd.alpha"),
                RunResults.Metric.FINAL, false);
        // ce runs keep the fixture's default 0.15
        assertThat(table.rows()).extracting(ComparisonTable.Row::group).containsExactly("0.1", "0.15", "0.2");
        assertThat(table.rows()).extracting(ComparisonTable.Row::n).containsExactly(2, 3, 1);
        assertThat(table.markdown()).contains("| 0.2" + " ".repeat(27) + " |   1 |       30.00 ± — |");
        assertThat(ComparisonTable.of(runs, GroupKey.parse("config.data.type"), RunResults.Metric.FINAL, false)
                .rows()).extracting(ComparisonTable.Row::group).containsExactly("synthetic");
        ComparisonTable missing = ComparisonTable.of(runs, GroupKey.parse("model.head"), RunResults.Metric.FINAL, false);
        assertThat(missing.rows()).extracting(ComparisonTable.Row::group).containsExactly("—");
        assertThat(ComparisonTable.of(runs, GroupKey.parse("dataset"), RunResults.Metric.FINAL, false).rows())
                .singleElement().satisfies(r -> assertThat(r.n()).isEqualTo(6));
        assertThatThrownBy(() -> GroupKey.parse("method..x")).isInstanceOf(LplException.class)
                .hasMessageStartingWith("--group-by method..x: expected method, dataset, ratio or a configuration key");
    }

    @Test
    void bestUsesTheBestEpoch() {
        ComparisonTable table = ComparisonTable.of(runs, GroupKey.parse("method"), RunResults.Metric.BEST, false);
        // the fixture's best epoch is 1 point better everywhere
        assertThat(table.markdown()).contains("| ce     |   3 |    31.00 ± 2.00 |      64.00 ± 3.61 |");
        assertThat(table.notes().get(0)).startsWith("Figures of each run's epoch with the best balanced accuracy");
    }

    @Test
    void incompleteRunsAreLeftOutUnlessIncluded() {
        RunResults running = RunDirectoryReader.readSummary(RunFixture.named("ce-4").method("ce").status("running", 2)
                .figures(0.90, 0.10, 0.10, 0.10, null, 0.50).write(tmp.resolve("ce-4")));
        List<RunResults> all = new java.util.ArrayList<>(runs);
        all.add(running);
        ComparisonTable excluded = ComparisonTable.of(all, GroupKey.parse("method"), RunResults.Metric.FINAL, false);
        assertThat(excluded.markdown()).isEqualTo(MARKDOWN);
        assertThat(excluded.incomplete()).containsExactly(running);
        assertThat(excluded.incompleteIncluded()).isFalse();
        assertThat(excluded.notes()).hasSize(1);

        ComparisonTable included = ComparisonTable.of(all, GroupKey.parse("method"), RunResults.Metric.FINAL, true);
        assertThat(included.rows().get(0).n()).isEqualTo(4);
        // ce top-1 error 30, 32, 34, 90 → 46.5
        assertThat(included.markdown()).contains("| ce     |   4 |   46.50 ± 29.05 |");
        assertThat(included.notes()).last().isEqualTo("Included 1 incomplete run (figures of the last finished epoch): "
                + tmp.resolve("ce-4") + " (running, 2 of 3 epochs).");
    }

    @Test
    void csvQuotesFieldsThatNeedIt() {
        RunResults odd = RunDirectoryReader.readSummary(RunFixture.named("odd").alpha("row, \"norm\"").write(tmp.resolve("odd")));
        ComparisonTable table = ComparisonTable.of(List.of(odd), GroupKey.parse("method.lpl.optimizer.pgd.alpha"),
                RunResults.Metric.FINAL, false);
        assertThat(table.csv().lines().skip(1).findFirst().orElseThrow())
                .isEqualTo("\"row, \"\"norm\"\"\",1,30,,60,,80,,50,,25,,10,");
        assertThat(ComparisonTable.csvQuote(" padded")).isEqualTo("\" padded\"");
        assertThat(ComparisonTable.csvQuote("plain")).isEqualTo("plain");
    }
}
