package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.api.training.EpochResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The per-epoch line of {@code --progress lines}, the line a sweep task's log shows. */
class ConsoleProgressTest {

    private static EpochResult epoch(int epoch, int epochs, double seconds) {
        return new EpochResult(epoch, epochs, 1.23456, 0.5, 0.4, 0.6, 0.3, Double.NaN, new double[] {0.4},
                0.1, seconds);
    }

    @Test
    void aLineHasTheEpochLossAccuraciesTimeAndAnEtaFromTheMeanEpochTime() {
        ConsoleProgress progress =
                ConsoleProgress.create(ProgressOption.Mode.LINES, new PrintWriter(new StringWriter()));
        String first = progress.line(epoch(0, 4, 10), 10);
        assertThat(first).startsWith("epoch   1/4  loss 1.2346  acc ").contains("bal-acc ").contains("lr 0.1")
                .endsWith("  10.0s  ETA 30s");
        // mean of 10 s and 50 s, two epochs left
        assertThat(progress.line(epoch(1, 4, 50), 50)).startsWith("epoch   2/4").endsWith("ETA 1m00s");
        assertThat(progress.line(epoch(3, 4, 30), 30)).startsWith("epoch   4/4").doesNotContain("ETA");
    }

    @Test
    void aRunWithAValidationSetShowsItsBalancedAccuracyOnThatEpochsLine() {
        ConsoleProgress progress =
                ConsoleProgress.create(ProgressOption.Mode.LINES, new PrintWriter(new StringWriter()));
        assertThat(progress.line(epoch(0, 4, 10), 10)).doesNotContain("val-bal");
        progress.validationEvaluated(1, 0.8125);
        assertThat(progress.line(epoch(1, 4, 10), 10)).contains("  val-bal " + ResultTables.percent(0.8125) + "  lr 0.1");
        assertThat(progress.line(epoch(2, 4, 10), 10)).doesNotContain("val-bal");
    }

    @Test
    void durationsAreShortAndReadable() {
        assertThat(ConsoleProgress.duration(42.4)).isEqualTo("42s");
        assertThat(ConsoleProgress.duration(725)).isEqualTo("12m05s");
        assertThat(ConsoleProgress.duration(3 * 3600 + 4 * 60 + 59)).isEqualTo("3h04m");
    }
}
