package dev.lpl.runner.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.LplException;
import dev.lpl.runner.RunFixture;
import dev.lpl.runner.report.RunDirectoryReader;
import dev.lpl.runner.report.RunResults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three seeds of two methods. The expected figures are worked out by hand:
 * ce top-1 error 30, 32, 34 → mean 32, deviations −2, 0, 2 → std √(8/2) = 2;
 * ce balanced 60, 62, 67 → 63, −3, −1, 4 → √(26/2) = 3.61;
 * lpl top-1 error 25, 26, 30 → 27, −2, −1, 3 → √(14/2) = 2.65;
 * lpl few-shot 40, —, 50 → 45 over two runs, √(50/1) = 7.07.
 * The runs of each method agree on every setting but the seed, so they may be pooled.
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
     * Writes the six runs: seeds 1, 2, 3 of ce and of lpl, every setting but the seed equal within
     * a method (lpl-1 writes the ratio as 100.0, the same value).
     *
     * @param root where
     * @return the run directories
     */
    public static List<Path> sixRuns(Path root) {
        return List.of(
                RunFixture.named("ce-1").method("ce").seed(1).ratio(100).figures(0.30, 0.60, 0.80, 0.50, null, 0.10).write(root.resolve("ce-1")),
                RunFixture.named("ce-2").method("ce").seed(2).ratio(100).figures(0.32, 0.62, 0.80, 0.55, null, 0.12).write(root.resolve("ce-2")),
                RunFixture.named("ce-3").method("ce").seed(3).ratio(100).figures(0.34, 0.67, 0.80, 0.60, null, 0.14).write(root.resolve("ce-3")),
                RunFixture.named("lpl-1").method("lpl").seed(1).ratio(100.0).alpha(0.1).figures(0.25, 0.70, 0.78, 0.60, 0.40, 0.05).write(root.resolve("lpl-1")),
                RunFixture.named("lpl-2").method("lpl").seed(2).ratio(100).alpha(0.1).figures(0.26, 0.71, 0.80, 0.65, null, 0.06).write(root.resolve("lpl-2")),
                RunFixture.named("lpl-3").method("lpl").seed(3).ratio(100).alpha(0.1).figures(0.30, 0.75, 0.82, 0.70, 0.50, 0.07).write(root.resolve("lpl-3")));
    }

    @BeforeEach
    void writeRuns() {
        runs = sixRuns(tmp).stream().map(RunDirectoryReader::readSummary).toList();
    }

    private static ComparisonTable.Options by(String key) {
        return ComparisonTable.Options.groupBy(GroupKey.parse(key));
    }

    private RunResults run(RunFixture fixture) {
        return RunDirectoryReader.readSummary(fixture.write(tmp.resolve("more").resolve(fixtureName(fixture))));
    }

    private int written;

    private String fixtureName(RunFixture fixture) {
        return "r" + (++written);
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
    void mixedRunsAreRefusedNamingTheKeyUnlessAllowed() {
        RunResults a = run(RunFixture.named("a").method("ce").seed(1).config("data.synthetic.imbalance-ratio", 100));
        RunResults b = run(RunFixture.named("b").method("ce").seed(2).config("data.synthetic.imbalance-ratio", 10)
                .figures(0.2, 0.7, 0.9, 0.6, 0.5, 0.05));
        assertThatThrownBy(() -> ComparisonTable.of(List.of(a, b), by("method")))
                .isInstanceOf(LplException.class)
                .hasMessage("runs in row ce differ in data.synthetic.imbalance-ratio (100 in " + a.directory() + ", 10 in "
                        + b.directory() + "); compare them separately, group by that key too (--group-by "
                        + "method,data.synthetic.imbalance-ratio) or pass --allow-mixed");

        ComparisonTable mixed = ComparisonTable.of(List.of(a, b), by("method").withAllowMixed(true));
        assertThat(mixed.rows()).singleElement().satisfies(r -> assertThat(r.n()).isEqualTo(2));
        assertThat(mixed.mixtures()).singleElement().satisfies(m -> assertThat(m.key()).isEqualTo("data.synthetic.imbalance-ratio"));
        assertThat(mixed.notes()).contains("Pooled despite differing settings (--allow-mixed): row ce: "
                + "data.synthetic.imbalance-ratio (100 in " + a.directory() + ", 10 in " + b.directory() + ").");

        // grouped by that key too, the runs are two rows and comparable
        ComparisonTable split = ComparisonTable.of(List.of(a, b), by("method, data.synthetic.imbalance-ratio"));
        assertThat(split.rows()).extracting(ComparisonTable.Row::group).containsExactly("ce, 10", "ce, 100");
        assertThat(split.markdown().lines().findFirst().orElseThrow())
                .startsWith("| method | data.synthetic.imbalance-ratio |   n |");
        assertThat(split.csv().lines().findFirst().orElseThrow()).startsWith("method,data.synthetic.imbalance-ratio,n,");

        // a different budget and another dataset: every differing key is named, the first three in full
        RunResults c = run(RunFixture.named("c").method("ce").seed(3).config("data.type", "fashion-mnist")
                .config("training.epochs", 2));
        assertThatThrownBy(() -> ComparisonTable.of(List.of(a, c), by("method")))
                .hasMessage("runs in row ce differ in data.synthetic.imbalance-ratio (100 in " + a.directory()
                        + ", absent in " + c.directory() + "); data.type (synthetic in " + a.directory()
                        + ", fashion-mnist in " + c.directory() + "); training.epochs (3 in " + a.directory() + ", 2 in "
                        + c.directory() + "); compare them separately, group by those keys too (--group-by method,"
                        + "data.synthetic.imbalance-ratio,data.type,training.epochs) or pass --allow-mixed");
    }

    @Test
    void twoRunsWithTheSameSeedAreOneExperimentCountedTwice() {
        RunResults a = run(RunFixture.named("a").method("ce").seed(7));
        RunResults b = run(RunFixture.named("b").method("ce").seed(7));
        assertThatThrownBy(() -> ComparisonTable.of(List.of(a, b), by("method")))
                .hasMessage("runs in row ce share seed 7 (" + a.directory() + ", " + b.directory()
                        + ") and every other setting: one experiment would count twice; leave one out or pass --allow-mixed");
        assertThat(ComparisonTable.of(List.of(a, b), by("method").withAllowMixed(true)).notes())
                .contains("Pooled runs with the same seed (--allow-mixed): row ce, seed 7: " + a.directory() + ", "
                        + b.directory() + ".");
    }

    @Test
    void groupsBySeveralKeysNumerically() {
        List<RunResults> all = new ArrayList<>(runs);
        all.add(run(RunFixture.named("ce-r10").method("ce").seed(1).ratio(10).figures(0.40, 0.50, 0.70, 0.40, null, 0.2)));
        all.add(run(RunFixture.named("ce-r10b").method("ce").seed(2).ratio(10.0).figures(0.44, 0.54, 0.70, 0.40, null, 0.2)));
        ComparisonTable table = ComparisonTable.of(all, by("method,ratio"));
        // 10 before 100: numeric order within each part
        assertThat(table.rows()).extracting(ComparisonTable.Row::group).containsExactly("ce, 10", "ce, 100", "lpl, 100");
        assertThat(table.rows()).extracting(ComparisonTable.Row::n).containsExactly(2, 3, 3);
        String markdown = table.markdown();
        assertThat(markdown.lines().findFirst().orElseThrow()).startsWith("| method | ratio |   n | top-1 error (%) |");
        // ce at 10: errors 40, 44 → 42 ± √8 = 2.83; balanced 50, 54 → 52 ± 2.83
        assertThat(markdown).contains("| ce     | 10    |   2 |    42.00 ± 2.83 |      52.00 ± 2.83 |");
        // grouped by the ratio alone, ce and lpl at 100 would share a row: refused, naming the method
        assertThatThrownBy(() -> ComparisonTable.of(all, by("ratio")))
                .hasMessageStartingWith("runs in row 100 differ in method.lpl.optimizer.pgd.alpha (absent in ");
    }

    @Test
    void groupsByAnyConfigurationKeyAndAMethodsOwnKeysOnlyExistForItsRuns() {
        ComparisonTable table = ComparisonTable.of(runs, by("method.lpl.optimizer.pgd.alpha"));
        // a CE run has no method.lpl.* setting: "—", not LPL's default its configuration carries
        assertThat(table.rows()).extracting(ComparisonTable.Row::group).containsExactly("0.1", "—");
        assertThat(table.rows()).extracting(ComparisonTable.Row::n).containsExactly(3, 3);
        assertThat(table.rows().get(1).runs()).extracting(RunResults::method).containsOnly("ce");
        assertThat(ComparisonTable.of(runs.subList(0, 3), by("config.data.type")).rows())
                .extracting(ComparisonTable.Row::group).containsExactly("synthetic");
        assertThatThrownBy(() -> GroupKey.parse("method..x")).isInstanceOf(LplException.class)
                .hasMessageStartingWith("--group-by method..x: expected method, dataset, label, ratio or a configuration key");
    }

    @Test
    void groupsBySweepVariantLabelsWhichAreNotPartOfTheExperiment() {
        List<RunResults> labelled = new ArrayList<>();
        for (int seed = 1; seed <= 2; seed++) {
            labelled.add(run(RunFixture.named("a" + seed).method("lpl").seed(seed).alpha(0.1).config("run.label", "alpha-0.1")
                    .figures(0.25, 0.70, 0.78, 0.60, null, 0.05)));
            labelled.add(run(RunFixture.named("b" + seed).method("lpl").seed(seed).alpha(0.3).config("run.label", "alpha-0.3")
                    .figures(0.30, 0.65, 0.78, 0.60, null, 0.05)));
        }
        labelled.add(run(RunFixture.named("c").method("ce").seed(1).figures(0.35, 0.60, 0.78, 0.60, null, 0.05)));
        ComparisonTable table = ComparisonTable.of(labelled, by("label"));
        assertThat(table.rows()).extracting(ComparisonTable.Row::group).containsExactly("alpha-0.1", "alpha-0.3", "—");
        assertThat(table.rows()).extracting(ComparisonTable.Row::n).containsExactly(2, 2, 1);
        // a sweep's variants keep the order they are written in; unlisted labels follow as usual
        assertThat(ComparisonTable.of(labelled, by("label").withFirstOrder(List.of("alpha-0.3", "nowhere"))).rows())
                .extracting(ComparisonTable.Row::group).containsExactly("alpha-0.3", "alpha-0.1", "—");
        // the same experiment under two labels pools when grouped by method: the label is bookkeeping
        RunResults relabelled = run(RunFixture.named("a3").method("lpl").seed(3).alpha(0.1).config("run.label", "other")
                .figures(0.25, 0.70, 0.78, 0.60, null, 0.05));
        assertThat(ComparisonTable.of(List.of(labelled.get(0), labelled.get(2), relabelled), by("method")).rows())
                .extracting(ComparisonTable.Row::n).containsExactly(3);
    }

    @Test
    void unknownGroupingKeysFailWithTheNearestKey() {
        assertThatThrownBy(() -> ComparisonTable.of(runs, by("method.lpl.optimizer.pgd.alpah")))
                .isInstanceOf(LplException.class)
                .hasMessage("--group-by method.lpl.optimizer.pgd.alpah: no run's configuration has this key; "
                        + "did you mean method.lpl.optimizer.pgd.alpha? (see a run's resolved.conf; or method, dataset, label, ratio)");
        assertThatThrownBy(() -> ComparisonTable.of(runs, by("no.such.key")))
                .hasMessageStartingWith("--group-by no.such.key: no run's configuration has this key");
        assertThatThrownBy(() -> ComparisonTable.of(runs, by("method,training.epoch")))
                .hasMessageContaining("did you mean training.epochs?");
    }

    @Test
    void olderRunsBestIsSelectedOnTestAndLabelledSo() {
        ComparisonTable table = ComparisonTable.of(runs, GroupKey.parse("method"), RunResults.Metric.BEST, false);
        assertThat(table.selection()).isEqualTo(Selection.TEST);
        // the fixture's best epoch is 1 point better everywhere
        assertThat(table.markdown()).startsWith("| method (selected on test) |")
                .contains(String.format("| %-25s |   3 |    31.00 ± 2.00 |      64.00 ± 3.61 |", "ce"));
        assertThat(table.notes().get(0)).startsWith(
                "Figures of each run's epoch with the best test balanced accuracy (selected on test: optimistic");
        assertThat(table.csv().lines().findFirst().orElseThrow()).endsWith(",selected_on");
        assertThat(table.csv().lines().skip(1)).allSatisfy(line -> assertThat(line).endsWith(",test"));
        assertThat(table.latex()).contains("method (selected on test) & $n$").contains("% Figures of each run's epoch with "
                + "the best test balanced accuracy (selected on test");
        // and never as validation-selected
        assertThatThrownBy(() -> ComparisonTable.of(runs, by("method").withSelection(Selection.VALIDATION)))
                .hasMessage("--metric best needs a validation split, and " + runs.get(0).directory() + " has none "
                        + "(written before lpl had one: its best epoch was selected on the test set); train with "
                        + "data.validation set, or use --metric final (or --metric test-selected, the optimistic figure "
                        + "selected on test)");
    }

    @Test
    void validationAndTestSelectedFiguresOfRunsWithTheNewSummary() {
        RunResults withSplit = run(RunFixture.named("v").method("ce").withValidation().bestImprovement(0.01));
        RunResults without = run(RunFixture.named("f").method("lpl").withoutValidation());
        ComparisonTable validation = ComparisonTable.of(List.of(withSplit), by("method").withSelection(Selection.VALIDATION));
        // final balanced 60; selected on validation +1; selected on test +2
        assertThat(validation.rows().get(0).get(ComparisonTable.Column.BALANCED_ACCURACY).mean()).isCloseTo(0.61, within(1e-12));
        assertThat(validation.markdown()).startsWith("| method (selected on validation) |");
        ComparisonTable test = ComparisonTable.of(List.of(withSplit, without), by("method").withSelection(Selection.TEST));
        assertThat(test.rows()).allSatisfy(r -> assertThat(r.get(ComparisonTable.Column.BALANCED_ACCURACY).mean())
                .isCloseTo(0.62, within(1e-12)));
        assertThatThrownBy(() -> ComparisonTable.of(List.of(withSplit, without), by("method").withSelection(Selection.VALIDATION)))
                .hasMessageStartingWith("--metric best needs a validation split, and " + without.directory()
                        + " has none (trained without data.validation); train with data.validation set");
    }

    @Test
    void pairedBaselineWhenBothGroupsHoldTheSameSeeds() {
        ComparisonTable table = ComparisonTable.of(runs, by("method").withBaseline("ce"));
        BaselineDifference d = table.rows().get(1).differences().get(ComparisonTable.Column.BALANCED_ACCURACY);
        assertThat(table.rows().get(0).differences()).isEmpty();
        assertThat(d.test()).isEqualTo(BaselineDifference.Test.PAIRED);
        // per-seed differences 10, 9, 8 points: mean 9, sd 1, se 1/√3, t = 9√3, df = 2
        double se = 0.01 / Math.sqrt(3);
        double t = 0.09 / se;
        // Student's t with 2 degrees of freedom in closed form: F(t) = 1/2 + t / (2 √(2 + t²)),
        // so the two-sided p is 1 − t/√(2 + t²), and the 0.975 quantile (2p − 1)/√(2p(1 − p)), p = 0.975
        double p = 1 - t / Math.sqrt(2 + t * t);
        double q = (2 * 0.975 - 1) / Math.sqrt(2 * 0.975 * 0.025);
        assertThat(d.difference()).isCloseTo(0.09, within(1e-12));
        assertThat(d.pValue()).isCloseTo(p, within(1e-12));
        assertThat(d.low()).isCloseTo(0.09 - q * se, within(1e-10));
        assertThat(d.high()).isCloseTo(0.09 + q * se, within(1e-10));
        // scipy.stats.ttest_rel([70, 71, 75], [60, 62, 67]): p = 0.0040899966895213725; CI 6.51586, 11.48414
        assertThat(d.pValue()).isCloseTo(0.0040899966895213725, within(1e-12));
        assertThat(100 * d.low()).isCloseTo(6.51586228824967, within(1e-8));
        // top-1 error 25, 26, 30 against 30, 32, 34: scipy's paired p = 0.013072457560346515
        assertThat(table.rows().get(1).differences().get(ComparisonTable.Column.TOP1_ERROR).pValue())
                .isCloseTo(0.013072457560346515, within(1e-12));

        String markdown = table.markdown();
        assertThat(markdown.lines().findFirst().orElseThrow()).endsWith(
                "| Δ balanced acc. (pp) [95% CI] |     p | Δ top-1 error (pp) [95% CI] |     p |     test |");
        assertThat(markdown).contains("|         +9.00 [+6.52, +11.48] | 0.004 |        -5.00 [-7.48, -2.52] | 0.013 |");
        assertThat(markdown.lines().skip(2).findFirst().orElseThrow()).endsWith("| baseline |");
        assertThat(table.notes()).anySatisfy(n -> assertThat(n).startsWith("Δ: each group's mean minus the baseline ce's"));
        assertThat(table.csv().lines().findFirst().orElseThrow()).endsWith(",diff_balanced_accuracy_pp,"
                + "diff_balanced_accuracy_pp_ci_low,diff_balanced_accuracy_pp_ci_high,diff_balanced_accuracy_pp_p,"
                + "diff_top1_error_pp,diff_top1_error_pp_ci_low,diff_top1_error_pp_ci_high,diff_top1_error_pp_p,test");
        assertThat(table.csv().lines().skip(2).findFirst().orElseThrow())
                .endsWith(",9,6.515862,11.484138,0.00409,-5,-7.484138,-2.515862,0.0130725,paired");
    }

    @Test
    void welchBaselineWhenTheSeedsDiffer() {
        List<RunResults> all = new ArrayList<>(runs.subList(0, 3));
        all.add(run(RunFixture.named("lpl-4").method("lpl").seed(4).alpha(0.1).figures(0.25, 0.70, 0.78, 0.60, 0.40, 0.05)));
        all.add(run(RunFixture.named("lpl-5").method("lpl").seed(5).alpha(0.1).figures(0.26, 0.71, 0.80, 0.65, null, 0.06)));
        all.add(run(RunFixture.named("lpl-6").method("lpl").seed(6).alpha(0.1).figures(0.30, 0.75, 0.82, 0.70, 0.50, 0.07)));
        ComparisonTable table = ComparisonTable.of(all, by("method").withBaseline("ce"));
        BaselineDifference d = table.rows().get(1).differences().get(ComparisonTable.Column.BALANCED_ACCURACY);
        assertThat(d.test()).isEqualTo(BaselineDifference.Test.WELCH);
        // variances 7 (lpl) and 13 (ce) points², n = 3 each: se = √(7/3 + 13/3),
        // Welch–Satterthwaite df = (20/3)² / ((7/3)²/2 + (13/3)²/2) = 800/218
        double se = Math.sqrt(7.0 / 3 + 13.0 / 3);
        double df = 800.0 / 218;
        // scipy.stats.ttest_ind([70, 71, 75], [60, 62, 67], equal_var=False): t = 3.4856850115866753,
        // p = 0.02897808451490581; scipy.stats.t.ppf(0.975, 800/218) = 2.8778246557633067
        assertThat(9 / se).isCloseTo(3.4856850115866753, within(1e-12));
        assertThat(d.pValue()).isCloseTo(0.02897808451490581, within(1e-12));
        assertThat(d.n()).isEqualTo(3);
        double q = 2.8778246557633067;
        assertThat(100 * d.low()).isCloseTo(9 - q * se, within(1e-8));
        assertThat(100 * d.high()).isCloseTo(9 + q * se, within(1e-8));
        assertThat(100 * d.high()).isCloseTo(16.430511310050917, within(1e-8));
        assertThat(df).isGreaterThan(3.6);
        assertThat(table.markdown()).contains("+9.00 [+1.57, +16.43] | 0.029 |").contains("|    Welch |");
        // top-1 error: scipy's Welch p = 0.06381115161617636
        assertThat(table.rows().get(1).differences().get(ComparisonTable.Column.TOP1_ERROR).pValue())
                .isCloseTo(0.06381115161617636, within(1e-12));
    }

    @Test
    void baselineOfOneRunHasNoInterval() {
        ComparisonTable table = ComparisonTable.of(List.of(runs.get(0), runs.get(1), runs.get(3)),
                by("method").withBaseline("ce"));
        BaselineDifference d = table.rows().get(1).differences().get(ComparisonTable.Column.BALANCED_ACCURACY);
        assertThat(d.tested()).isFalse();
        assertThat(d.note()).isEqualTo("n < 2");
        assertThat(table.markdown()).contains("|                     +9.00 [—] |   — |");
        assertThat(table.notes()).contains("lpl: no interval or p-value (n < 2).");
        assertThatThrownBy(() -> ComparisonTable.of(runs, by("method").withBaseline("cee")))
                .hasMessage("--baseline cee: no such group; did you mean ce? (the groups: ce; lpl)");
    }

    @Test
    void latexIsABooktabsTabular() {
        String latex = ComparisonTable.of(runs, by("method").withBaseline("ce")).latex();
        assertThat(latex).startsWith("\\begin{tabular}{lrrrrrrrrrrrr}\n\\toprule\n"
                + "method & $n$ & top-1 error (\\%) & balanced acc. (\\%) & many-shot (\\%) & medium-shot (\\%) & "
                + "few-shot (\\%) & ECE (\\%) & $\\Delta$ balanced acc. (pp) [95\\% CI] & $p$ & "
                + "$\\Delta$ top-1 error (pp) [95\\% CI] & $p$ & test \\\\\n\\midrule\n"
                + "ce & 3 & $32.00 \\pm 2.00$ & $63.00 \\pm 3.61$ & $80.00 \\pm 0.00$ & $55.00 \\pm 5.00$ & --- & "
                + "$12.00 \\pm 2.00$ & baseline &  & baseline &  & baseline \\\\\n"
                + "lpl & 3 & $27.00 \\pm 2.65$ & $72.00 \\pm 2.65$ & $80.00 \\pm 2.00$ & $65.00 \\pm 5.00$ & "
                + "$45.00 \\pm 7.07$ (2 of 3) & $6.00 \\pm 1.00$ & $+9.00 [+6.52, +11.48]$ & 0.004 & "
                + "$-5.00 [-7.48, -2.52]$ & 0.013 & paired \\\\\n\\bottomrule\n\\end{tabular}\n"
                + "% Figures of each run's final epoch");
        assertThat(ComparisonTable.latexEscape("a_b & 5% {x}")).isEqualTo("a\\_b \\& 5\\% \\{x\\}");
    }

    @Test
    void incompleteRunsAreLeftOutUnlessIncluded() {
        RunResults running = RunDirectoryReader.readSummary(RunFixture.named("ce-4").method("ce").seed(4).status("running", 2)
                .figures(0.90, 0.10, 0.10, 0.10, null, 0.50).write(tmp.resolve("ce-4")));
        List<RunResults> all = new ArrayList<>(runs);
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

    @Test
    void plotsArePngSvgAndPdf() throws Exception {
        List<RunResults> all = new ArrayList<>();
        all.add(run(RunFixture.named("ce-v1").method("ce").seed(1).withValidation()));
        all.add(run(RunFixture.named("ce-v2").method("ce").seed(2).withValidation().figures(0.28, 0.64, 0.82, 0.55, 0.3, 0.1)));
        all.add(run(RunFixture.named("lpl-v1").method("lpl").seed(1).withValidation().figures(0.25, 0.70, 0.78, 0.60, 0.40, 0.05)));
        all.add(run(RunFixture.named("lpl-v2").method("lpl").seed(2).withValidation().figures(0.22, 0.74, 0.8, 0.7, 0.5, 0.05)));
        Path dir = tmp.resolve("plots");
        ComparisonPlots.Written written = ComparisonPlots.write(ComparisonTable.of(all, by("method")), dir);
        assertThat(written.notes()).isEmpty();
        assertThat(written.files()).extracting(p -> p.getFileName().toString()).containsExactly(
                "balanced-accuracy.png", "balanced-accuracy.svg", "balanced-accuracy.pdf", "val-balanced-accuracy.png",
                "val-balanced-accuracy.svg", "val-balanced-accuracy.pdf", "per-class-accuracy.png",
                "per-class-accuracy.svg", "per-class-accuracy.pdf");
        for (Path file : written.files()) {
            assertThat(Files.size(file)).as(file.toString()).isGreaterThan(1000);
            if (file.toString().endsWith(".pdf")) {
                assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("%PDF-");
            } else if (file.toString().endsWith(".svg")) {
                DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
                xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // offline
                assertThat(xml.newDocumentBuilder().parse(file.toFile()).getDocumentElement().getTagName()).isEqualTo("svg");
            } else {
                assertThat(javax.imageio.ImageIO.read(file.toFile()).getWidth()).isGreaterThanOrEqualTo(900);
            }
        }
        // runs without a validation split: no validation figure, and a note saying why
        ComparisonPlots.Written legacy = ComparisonPlots.write(ComparisonTable.of(runs, by("method")), tmp.resolve("old"));
        assertThat(legacy.files()).hasSize(6);
        assertThat(legacy.notes()).containsExactly(
                "not drawn: val-balanced-accuracy: no run has a validation split (val_balanced_accuracy)");
    }
}
