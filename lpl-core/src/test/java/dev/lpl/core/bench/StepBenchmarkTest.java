package dev.lpl.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepBenchmarkTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());

    @Test
    void timesEveryMethodForEveryRoundAndStep() {
        StepBenchmark bench = new StepBenchmark(LPL.configLoader(), LPL.runFactory());
        List<StepBenchmark.Timing> timings = bench.run(List.of("identity", "features"),
                List.of("model.type=tiny-mlp", "training.backend=cpu"),
                new StepBenchmark.Options(1, 4, 4, 2, 16, 1, 3, 2, 42));
        assertThat(timings).extracting(StepBenchmark.Timing::method).containsExactly("identity", "features");
        assertThat(timings.get(0).pairedRatio()).isEqualTo(1.0);
        for (StepBenchmark.Timing t : timings) {
            assertThat(t.stepMillis()).hasSize(6);
            assertThat(java.util.Arrays.stream(t.stepMillis()).min().orElseThrow()).isPositive();
            assertThat(t.stepQuantile(0.1)).isLessThanOrEqualTo(t.stepQuantile(0.5));
            assertThat(t.stepQuantile(0.5)).isLessThanOrEqualTo(t.stepQuantile(0.9));
            assertThat(t.imagesPerSecond()).isCloseTo(16 * 1000.0 / t.stepQuantile(0.5), within(1e-9));
            assertThat(t.pairedRatios()).hasSize(3);
        }
    }

    @Test
    void quantilesInterpolate() {
        assertThat(StepBenchmark.quantile(new double[] {4, 1, 3, 2}, 0.5)).isEqualTo(2.5);
        assertThat(StepBenchmark.quantile(new double[] {4, 1, 3, 2}, 0.0)).isEqualTo(1.0);
        assertThat(StepBenchmark.quantile(new double[] {4, 1, 3, 2}, 1.0)).isEqualTo(4.0);
    }

    @Test
    void anUnknownMethodFailsBeforeAnyWork() {
        StepBenchmark bench = new StepBenchmark(LPL.configLoader(), LPL.runFactory());
        assertThatThrownBy(() -> bench.run(List.of("identity", "nope"), List.of("model.type=tiny-mlp"),
                new StepBenchmark.Options(1, 4, 4, 2, 16, 1, 1, 1, 42)))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("unknown method 'nope'");
    }
}
