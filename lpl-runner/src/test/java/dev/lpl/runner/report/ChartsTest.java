package dev.lpl.runner.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.runner.RunFixture;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;

/** What the charts draw, read from XChart's series rather than from pixels. */
class ChartsTest {

    @TempDir
    Path tmp;

    private RunResults run(RunFixture fixture) {
        return RunDirectoryReader.read(fixture.write(tmp.resolve(Long.toString(System.nanoTime()))));
    }

    @Test
    void aBalancedTestSetDrawsTestAndBalancedAccuracyAsOneLineThatSaysSo() {
        // test accuracy 1 − 0.3 = 0.7 = balanced accuracy in every epoch
        RunResults balanced = run(RunFixture.named("b").figures(0.3, 0.7, 0.8, 0.6, 0.4, 0.05));
        assertThat(Charts.testEqualsBalanced(balanced)).isTrue();
        XYChart chart = Charts.accuracy(balanced).orElseThrow();
        assertThat(chart.getSeriesMap().keySet())
                .containsExactly(Charts.TEST_EQUALS_BALANCED, "many-shot", "medium-shot", "few-shot");
        assertThat(Charts.TEST_EQUALS_BALANCED.replace('\n', ' '))
                .isEqualTo("test accuracy = balanced accuracy (balanced test set)");
        assertThat(chart.getTitle()).isEqualTo("Test accuracy");

        RunResults imbalanced = run(RunFixture.named("i").figures(0.25, 0.7, 0.8, 0.6, 0.4, 0.05));
        assertThat(Charts.testEqualsBalanced(imbalanced)).isFalse();
        assertThat(Charts.accuracy(imbalanced).orElseThrow().getSeriesMap().keySet())
                .containsExactly("test accuracy", "balanced accuracy", "many-shot", "medium-shot", "few-shot");
    }

    @Test
    void aRunWithAValidationSplitDrawsItsValidationBalancedAccuracy() {
        RunResults run = run(RunFixture.named("v").withValidation().figures(0.25, 0.7, 0.8, 0.6, 0.4, 0.05));
        XYChart chart = Charts.accuracy(run).orElseThrow();
        assertThat(chart.getTitle()).isEqualTo("Test and validation accuracy");
        assertThat(chart.getSeriesMap().keySet()).containsExactly("test accuracy", "balanced accuracy",
                Charts.VALIDATION_BALANCED, "many-shot", "medium-shot", "few-shot");
        // the fixture's validation balanced accuracy: 0.65 at the last of 3 epochs, linear before
        double[] y = chart.getSeriesMap().get(Charts.VALIDATION_BALANCED).getYData();
        assertThat(y).containsExactly(new double[] {100 * 0.65 / 3, 100 * 0.65 * 2 / 3, 65.0},
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aMethodWithoutPerturbationHasNoLossVariationChart() {
        RunResults ce = run(RunFixture.named("ce").method("ce"));
        assertThat(ce.lossVariationAllZero()).isTrue();
        assertThat(Charts.lossVariation(ce)).isEmpty();
        assertThat(Charts.lossVariationOverEpochs(ce)).isEmpty();
        RunResults lpl = run(RunFixture.named("lpl").method("lpl"));
        assertThat(lpl.lossVariationAllZero()).isFalse();
        assertThat(Charts.lossVariation(lpl).orElseThrow().getSeriesMap().keySet())
                .containsExactly("loss raised", "loss lowered");
        RunResults old = run(RunFixture.named("old").legacy());
        assertThat(old.lossVariationAllZero()).isFalse();
    }

    @Test
    void theReliabilityDiagramDrawsOnlyColoursItsLegendNames() {
        CategoryChart chart = Charts.reliability(run(RunFixture.named("r"))).orElseThrow();
        // bars side by side, opaque: no overlap mixes a colour that is not in the legend
        assertThat(chart.getStyler().isOverlapped()).isFalse();
        List<Color> fills = new ArrayList<>();
        for (CategorySeries s : chart.getSeriesMap().values()) {
            if (s.getChartCategorySeriesRenderStyle() != CategorySeries.CategorySeriesRenderStyle.Line) {
                assertThat(s.getFillColor().getAlpha()).as(s.getName()).isEqualTo(255);
                assertThat(s.isShowInLegend()).as(s.getName()).isTrue();
                fills.add(s.getFillColor());
            }
        }
        assertThat(chart.getSeriesMap().keySet()).containsExactly("accuracy", "mean confidence", "perfect calibration");
        assertThat(fills).containsExactly(Charts.BLUE, Charts.ORANGE);
    }
}
